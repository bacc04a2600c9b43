"""Inbound compensation facts: plans, assignments, quotas and period closes."""
from datetime import date, datetime
from typing import Any

from domain.board import Scope
from domain.facts import PeriodFact, PlanFact, QuotaFact
from domain.periods import window_kind
from domain.plan import plan_from_definition
from streams.exceptions import InvalidEvent
from streams.fields import amount, text

__all__ = ["COMP_TYPES", "parse_comp_event"]

COMP_TYPES = {"plan.published", "plan.assigned", "quota.set", "period.closed"}
_PLAN_FIELDS = ("name", "tiers", "quota", "basis", "method", "gate", "cap", "minimum")


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
        return PlanFact(event_id, "published", occurred_at, source, plan_id, definition=_definition(raw))
    scope = text(raw, "scope")
    if not scope.startswith("rep:") or scope == "rep:":
        try:
            Scope.parse(scope)
        except ValueError:
            raise InvalidEvent("scope", f"{scope!r} is not company, region:NAME, manager:NAME or rep:NAME") from None
    start, end = _day(raw, "effective_from", required=True), _day(raw, "effective_to", required=False)
    if end is not None and start is not None and end <= start:
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
    return period


def _day(raw: dict[str, Any], name: str, *, required: bool) -> date | None:
    if raw.get(name) in (None, "") and not required:
        return None
    value = text(raw, name)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidEvent(name, f"{value!r} is not a date like 2017-07-01") from None


def _definition(raw: dict[str, Any]) -> dict[str, Any]:
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidEvent("version", f"must be a whole number >= 1, got {version!r}")
    definition = {"plan_id": raw["plan_id"], "version": version,
                  "effective_from": _day(raw, "effective_from", required=True).isoformat(),  # type: ignore[union-attr]
                  **{k: raw[k] for k in _PLAN_FIELDS if k in raw}}
    tiers = definition.get("tiers")
    if not isinstance(tiers, list) or not all(isinstance(t, list | dict) for t in tiers):
        raise InvalidEvent("tiers", "must be a list of [floor, rate] or {floor, rate}")
    definition["tiers"] = [[t["floor"], t["rate"]] if isinstance(t, dict) else t for t in tiers]
    try:
        return plan_from_definition(definition).definition()
    except (ValueError, KeyError, TypeError, ArithmeticError) as error:
        field, _, reason = str(error).partition(": ")
        raise InvalidEvent(field if reason else "definition", reason or str(error)) from None
