"""The inbound contract: one JSON object per event, turned into a validated fact.

Every refusal is an InvalidEvent naming the field and the reason; the caller dead-letters
it with the raw payload and carries on with the events around it.
"""
from datetime import tzinfo
from decimal import Decimal
from typing import Any

import orjson

from domain.facts import ActivityFact, DealFact, Fact, RepFact, Share
from streams.exceptions import InvalidEvent
from streams.fields import amount, business_time, decimal_value, optional_text, text, whole_number

__all__ = ["parse_event", "decode"]

DEAL_TYPES = {"deal.opened", "deal.updated", "deal.won", "deal.lost", "deal.reopened"}
REP_TYPES = {"rep.joined", "rep.moved"}
EVENT_TYPES = DEAL_TYPES | REP_TYPES | {"activity.logged"}


def decode(payload: bytes | str) -> dict[str, Any]:
    """Bytes off the wire to an event object; InvalidEvent if it is not one."""
    try:
        raw = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise InvalidEvent("payload", f"is not JSON ({error})") from None
    if not isinstance(raw, dict):
        raise InvalidEvent("payload", f"must be a JSON object, got {type(raw).__name__}")
    return raw


def parse_event(raw: dict[str, Any], *, tz: tzinfo, currency: str) -> Fact:
    event_id = text(raw, "event_id")
    kind = text(raw, "type")
    if kind not in EVENT_TYPES:
        raise InvalidEvent("type", f"{kind!r} is not one of {', '.join(sorted(EVENT_TYPES))}")
    occurred_at = business_time(raw, "occurred_at", tz)
    source = text(raw, "source")
    if kind in DEAL_TYPES:
        return _deal(raw, event_id, kind, occurred_at, source, currency)
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
    value = amount(raw, "amount", required=kind == "deal.won")
    if value is not None and value < 0:
        raise InvalidEvent("amount", f"must not be negative, got {value}")
    currency = optional_text(raw, "currency") or ledger_currency
    if currency != ledger_currency:
        raise InvalidEvent("currency", f"{currency!r} is not the ledger currency {ledger_currency!r}")
    return DealFact(
        event_id=event_id, kind=kind.removeprefix("deal."), occurred_at=occurred_at,
        source=source, deal_id=text(raw, "deal_id"), rep_id=text(raw, "rep_id"),
        currency=currency, amount=value, product=optional_text(raw, "product"),
        account=optional_text(raw, "account"), splits=_splits(raw),
        estimated=raw.get("estimated") is True,
    )


def _splits(raw: dict[str, Any]) -> tuple[Share, ...]:
    value = raw.get("splits")
    if value in (None, []):
        return ()
    if not isinstance(value, list):
        raise InvalidEvent("splits", "must be a list of {rep_id, share}")
    shares: list[Share] = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise InvalidEvent(f"splits[{i}]", "must be an object {rep_id, share}")
        share = decimal_value(item.get("share"), f"splits[{i}].share")
        if share <= 0:
            raise InvalidEvent(f"splits[{i}].share", f"must be above 0, got {share}")
        shares.append(Share(text(item, "rep_id"), share))
    if len({s.rep_id for s in shares}) != len(shares):
        raise InvalidEvent("splits", "names a rep more than once")
    total = sum((s.share for s in shares), Decimal(0))
    if total != 1:
        raise InvalidEvent("splits", f"shares must sum to 1, they sum to {total}")
    return tuple(shares)
