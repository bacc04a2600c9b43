"""A published plan's terms, read strictly: each refusal names the field and says why.

Money terms (quota, cap, minimum) are money like deal amounts: at most 2 decimal places,
below 10 trillion, and never negative. Tier floors and rates are exact decimals; `gate` is
true or false; `name` is text. The plan rules themselves (tiers rise from 0, rates 0 to 10,
cap not below minimum) are the domain's, checked when the plan is built.
"""
from decimal import Decimal
from typing import Any

from domain.exceptions import InvalidPlan
from domain.plan import Plan, Tier, checked
from streams.exceptions import InvalidEvent
from streams.fields import boolean, day, decimal_value, money, optional_text, shown, text

__all__ = ["read_plan"]

_SHAPE = "must be a list of [floor, rate] or {floor, rate}"


def read_plan(raw: dict[str, Any]) -> Plan:
    """The plan version an inbound `plan.published` event describes."""
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 1_000_000:
        raise InvalidEvent("version", f"must be a whole number from 1, got {shown(version)}")
    plan_id = text(raw, "plan_id")
    start = day(raw, "effective_from")
    try:
        return checked(Plan(plan_id, version, optional_text(raw, "name") or plan_id, start, _tiers(raw),
                            _money(raw, "quota"), _word(raw, "basis", "attainment"),
                            _word(raw, "method", "marginal"), boolean(raw, "gate", default=False),
                            _money(raw, "cap"), _money(raw, "minimum")))
    except InvalidPlan as error:
        raise InvalidEvent(error.field, error.reason) from None


def _money(raw: dict[str, Any], name: str) -> Decimal | None:
    if raw.get(name) in (None, ""):
        return None
    value = money(raw[name], name)
    if value < 0:
        raise InvalidEvent(name, f"must be at least 0, got {value}")
    return value


def _word(raw: dict[str, Any], name: str, default: str) -> str:
    return default if raw.get(name) is None else text(raw, name)


def _tiers(raw: dict[str, Any]) -> tuple[Tier, ...]:
    tiers = raw.get("tiers")
    if tiers is None:
        raise InvalidEvent("tiers", "is missing")
    if not isinstance(tiers, list) or not tiers:
        raise InvalidEvent("tiers", f"{_SHAPE}, got {shown(tiers)}")
    if len(tiers) > 100:
        raise InvalidEvent("tiers", "must hold at most 100 tiers")
    return tuple(_tier(t, f"tiers[{i}]") for i, t in enumerate(tiers))


def _tier(value: Any, name: str) -> Tier:
    if isinstance(value, list):
        if len(value) != 2:
            raise InvalidEvent(name, f"must be [floor, rate], got {len(value)} value(s)")
        value = {"floor": value[0], "rate": value[1]}
    if not isinstance(value, dict):
        raise InvalidEvent(name, f"must be [floor, rate] or {{floor, rate}}, got {shown(value)}")
    unknown = sorted(set(value) - {"floor", "rate"}, key=str)
    if unknown:
        raise InvalidEvent(f"{name}.{unknown[0]}", "is not a tier term (a tier has a floor and a rate)")
    for part in ("floor", "rate"):
        if value.get(part) is None:
            raise InvalidEvent(f"{name}.{part}", "is missing")
    return Tier(decimal_value(value["floor"], f"{name}.floor"), decimal_value(value["rate"], f"{name}.rate"))
