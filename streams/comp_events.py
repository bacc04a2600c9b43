"""Inbound compensation facts: plans, assignments, quotas and period closes."""
from datetime import datetime
from typing import Any

from domain.board import Scope
from domain.facts import PeriodFact, PlanFact, QuotaFact
from domain.periods import window_kind
from streams.exceptions import InvalidEvent
from streams.fields import amount, day, optional_day, text
from streams.plan_terms import read_plan

__all__ = ["COMP_TYPES", "parse_comp_event"]

COMP_TYPES = {"plan.published", "plan.assigned", "quota.set", "period.closed"}


def parse_comp_event(raw: dict[str, Any], event_id: str, kind: str, occurred_at: datetime,
                     source: str) -> PlanFact | QuotaFact | PeriodFact:
    if kind == "quota.set":
        value = amount(raw, "amount", required=True)
        if value is None or value < 0:
            raise InvalidEvent("amount", f"must be at least 0, got {value}")
        return QuotaFact(event_id, occurred_at, source, text(raw, "rep_id"), _quarter(raw), value)
    if kind == "period.closed":
        return PeriodFact(event_id, occurred_at, source, _quarter(raw))
    plan_id = text(raw, "plan_id")
    if kind == "plan.published":
        return PlanFact(event_id, "published", occurred_at, source, plan_id, definition=read_plan(raw).definition())
    scope = text(raw, "scope")
    if not scope.startswith("rep:") or scope == "rep:":
        try:
            Scope.parse(scope)
        except ValueError:
            raise InvalidEvent("scope", f"{scope!r} is not company, region:NAME, manager:NAME or rep:NAME") from None
    start, end = day(raw, "effective_from"), optional_day(raw, "effective_to")
    if end is not None and end <= start:
        raise InvalidEvent("effective_to", f"must be after effective_from ({start})")
    return PlanFact(event_id, "assigned", occurred_at, source, plan_id, scope=scope,
                    effective_from=start, effective_to=end)


def _quarter(raw: dict[str, Any]) -> str:
    period = text(raw, "period")
    try:
        kind = window_kind(period)
    except ValueError:
        kind = ""
    if kind != "quarter":
        raise InvalidEvent("period", f"{period!r} is not a quarter like 2017-Q3")
    if not 1900 <= int(period[:4]) <= 2100:
        raise InvalidEvent("period", f"{period!r} is outside the years 1900-2100")
    return period
