"""Commission plans: versioned definitions, and which version is in force for a period.

A plan version is immutable once published; editing a plan publishes a new version with
its own `effective_from`. A period is paid under the latest version in force on the
period's first day, so a version effective mid-period applies from the next period on.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.exceptions import InvalidPlan

__all__ = ["Tier", "Plan", "checked", "plan_from_definition", "version_in_force"]

BASES = ("attainment", "revenue")
METHODS = ("marginal", "retroactive")
_MAX_FLOOR = Decimal(10) ** 13


@dataclass(frozen=True)
class Tier:
    floor: Decimal  # where the tier starts: a fraction of quota, or money (basis "revenue")
    rate: Decimal


@dataclass(frozen=True)
class Plan:
    plan_id: str
    version: int
    name: str
    effective_from: date
    tiers: tuple[Tier, ...]
    quota: Decimal | None = None  # per period, when no quota.set names one
    basis: str = "attainment"
    method: str = "marginal"
    gate: bool = False  # tiers past quota pay only when year-to-date revenue meets quota
    cap: Decimal | None = None
    minimum: Decimal | None = None

    def floor_amount(self, tier: Tier, quota: Decimal) -> Decimal:
        return tier.floor * quota if self.basis == "attainment" else tier.floor

    def definition(self) -> dict[str, Any]:
        """The JSON-ready form stored in the ledger and in views."""
        return {
            "plan_id": self.plan_id, "version": self.version, "name": self.name,
            "effective_from": self.effective_from.isoformat(),
            "tiers": [[str(t.floor), str(t.rate)] for t in self.tiers],
            "quota": None if self.quota is None else str(self.quota), "basis": self.basis,
            "method": self.method, "gate": self.gate,
            "cap": None if self.cap is None else str(self.cap),
            "minimum": None if self.minimum is None else str(self.minimum),
        }


def checked(plan: Plan) -> Plan:
    """The plan rules; InvalidPlan naming the field. Terms were read strictly at the door."""
    if not plan.tiers:
        raise InvalidPlan("tiers", "must hold at least one tier")
    if plan.tiers[0].floor != 0:
        raise InvalidPlan("tiers[0].floor", f"the first tier must start at 0, got {plan.tiers[0].floor}")
    for i, (lower, tier) in enumerate(zip(plan.tiers, plan.tiers[1:]), start=1):
        if tier.floor <= lower.floor:
            raise InvalidPlan(f"tiers[{i}].floor", f"floors must rise: {tier.floor} is not above {lower.floor}")
    for i, tier in enumerate(plan.tiers):
        if tier.floor >= _MAX_FLOOR or _places(tier.floor) > 6:
            raise InvalidPlan(f"tiers[{i}].floor", f"must be below 10 trillion with at most 6 decimal places, "
                              f"got {tier.floor}")
        if not 0 <= tier.rate <= 10 or _places(tier.rate) > 6:
            raise InvalidPlan(f"tiers[{i}].rate", f"must be between 0 and 10 with at most 6 decimal places, "
                              f"got {tier.rate}")
    if plan.basis not in BASES:
        raise InvalidPlan("basis", f"must be one of {', '.join(BASES)}, got {plan.basis!r}")
    if plan.method not in METHODS:
        raise InvalidPlan("method", f"must be one of {', '.join(METHODS)}, got {plan.method!r}")
    if plan.cap is not None and plan.minimum is not None and plan.cap < plan.minimum:
        raise InvalidPlan("cap", f"must not be below the minimum ({plan.minimum}), got {plan.cap}")
    return plan


def _places(value: Decimal) -> int:
    return max(0, -int(value.as_tuple().exponent))


def plan_from_definition(d: dict[str, Any]) -> Plan:
    """The inverse of Plan.definition: the stored form, whose terms the door read strictly."""
    def money(name: str) -> Decimal | None:
        return None if d.get(name) is None else Decimal(d[name])

    return checked(Plan(d["plan_id"], int(d["version"]), d["name"], date.fromisoformat(d["effective_from"]),
                        tuple(Tier(Decimal(f), Decimal(r)) for f, r in d["tiers"]), money("quota"),
                        d["basis"], d["method"], d["gate"] is True, money("cap"), money("minimum")))


def version_in_force(versions: list[Plan], period_start: date) -> Plan | None:
    """The latest version effective on or before the period's first day."""
    eligible = [v for v in versions if v.effective_from <= period_start]
    return max(eligible, key=lambda v: (v.effective_from, v.version)) if eligible else None
