"""The inbound contract: one JSON object per event, turned into a validated fact.

Every refusal is an InvalidEvent naming the field and the reason; the caller dead-letters
it with the raw payload and carries on with the events around it.
"""
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from domain.facts import ActivityFact, DealFact, Fact, RepFact, Share
from streams.comp_events import COMP_TYPES, parse_comp_event
from streams.exceptions import InvalidEvent
from streams.fields import amount, boolean, business_time, decimal_value, optional_text, text, whole_number

__all__ = ["parse_event"]

DEAL_TYPES = {"deal.opened", "deal.updated", "deal.won", "deal.lost", "deal.reopened", "deal.credited"}
REP_TYPES = {"rep.joined", "rep.moved"}
EVENT_TYPES = DEAL_TYPES | REP_TYPES | COMP_TYPES | {"activity.logged"}


def parse_event(raw: dict[str, Any], *, tz: tzinfo, currency: str) -> Fact:
    event_id = text(raw, "event_id")
    kind = text(raw, "type")
    if kind not in EVENT_TYPES:
        raise InvalidEvent("type", f"{kind!r} is not one of {', '.join(sorted(EVENT_TYPES))}")
    occurred_at = business_time(raw, "occurred_at", tz)
    source = text(raw, "source")
    if kind in DEAL_TYPES:
        return _deal(raw, event_id, kind, occurred_at, source, currency)
    if kind in COMP_TYPES:
        return parse_comp_event(raw, event_id, kind, occurred_at, source)
    if kind in REP_TYPES:
        return RepFact(
            event_id=event_id, kind=kind.removeprefix("rep."), occurred_at=occurred_at,
            source=source, rep_id=text(raw, "rep_id"),
            manager=optional_text(raw, "manager"), region=optional_text(raw, "region"),
        )
    return ActivityFact(
        event_id=event_id, occurred_at=occurred_at, source=source,
        activity_id=text(raw, "activity_id"), rep_id=text(raw, "rep_id"),
        kind=text(raw, "kind").lower(), deal_id=optional_text(raw, "deal_id"),
        duration_s=whole_number(raw, "duration_s"),
    )


def _deal(raw: dict[str, Any], event_id: str, kind: str, occurred_at: Any, source: str,
          ledger_currency: str) -> DealFact:
    credited = kind == "deal.credited"
    value = amount(raw, "amount", required=kind in ("deal.won", "deal.credited"))
    if value is not None and (value < 0 or (credited and value == 0)):
        raise InvalidEvent("amount", f"must be {'above' if credited else 'at least'} 0, got {value}")
    currency = optional_text(raw, "currency") or ledger_currency
    if currency != ledger_currency:
        raise InvalidEvent("currency", f"{currency!r} is not the ledger currency {ledger_currency!r}")
    splits, overlays = _shares(raw, "splits"), _shares(raw, "overlays")
    if splits and sum((s.share for s in splits), Decimal(0)) != 1:
        raise InvalidEvent("splits", f"shares must sum to 1, they sum to {sum(s.share for s in splits)}")
    rep_id = optional_text(raw, "rep_id") if credited else text(raw, "rep_id")
    credited_reps = {s.rep_id for s in splits} or ({rep_id} if rep_id else set())
    if any(o.rep_id in credited_reps for o in overlays):
        raise InvalidEvent("overlays", "names a rep who already has split credit on this deal")
    return DealFact(
        event_id=event_id, kind=kind.removeprefix("deal."), occurred_at=occurred_at,
        source=source, deal_id=text(raw, "deal_id"), rep_id=rep_id,
        currency=currency, amount=value, product=optional_text(raw, "product"),
        account=optional_text(raw, "account"), splits=splits, overlays=overlays,
        estimated=boolean(raw, "estimated", default=False),
        credit_note_id=text(raw, "credit_note_id") if credited else None,
    )


def _shares(raw: dict[str, Any], name: str) -> tuple[Share, ...]:
    """`splits` (must sum to 1) or `overlays` (extra credit outside the 100 %)."""
    value = raw.get(name)
    if value in (None, []):
        return ()
    if not isinstance(value, list):
        raise InvalidEvent(name, "must be a list of {rep_id, share}")
    shares: list[Share] = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise InvalidEvent(f"{name}[{i}]", "must be an object {rep_id, share}")
        share = decimal_value(item.get("share"), f"{name}[{i}].share")
        if -int(share.as_tuple().exponent) > 12:
            raise InvalidEvent(f"{name}[{i}].share", f"{share} has more than 12 decimal places")
        if share <= 0 or share > 1:
            raise InvalidEvent(f"{name}[{i}].share", f"must be above 0 and at most 1, got {share}")
        shares.append(Share(text(item, "rep_id"), share))
    if len({s.rep_id for s in shares}) != len(shares):
        raise InvalidEvent(name, "names a rep more than once")
    return tuple(shares)
