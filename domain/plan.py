"""Commission plans: versioned definitions, and which version is in force for a period.

A plan version is immutable once published; editing a plan publishes a new version with
its own `effective_from`. A period is paid under the latest version in force on the
period's first day, so a version effective mid-period applies from the next period on.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = ["Tier", "Plan", "plan_from_definition", "version_in_force"]

BASES = ("attainment", "revenue")
METHODS = ("marginal", "retroactive")


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


def plan_from_definition(d: dict[str, Any]) -> Plan:
    """The inverse of Plan.definition; ValueError naming the field when it does not fit."""
    def money(name: str) -> Decimal | None:
        return None if d.get(name) in (None, "") else Decimal(str(d[name]))

    tiers = tuple(Tier(Decimal(str(f)), Decimal(str(r))) for f, r in d["tiers"])
    if not tiers or tiers[0].floor != 0:
        raise ValueError("tiers: the first tier must start at 0")
    if any(b.floor <= a.floor for a, b in zip(tiers, tiers[1:])):
        raise ValueError("tiers: floors must rise")
    if any(t.rate < 0 or t.rate > 10 or -int(t.rate.as_tuple().exponent) > 6 for t in tiers):
        raise ValueError("tiers: rates must be between 0 and 10 with at most 6 decimal places")
    if any(abs(t.floor) >= Decimal(10) ** 13 for t in tiers):
        raise ValueError("tiers: floors must be below 10 trillion")
    if d.get("basis", "attainment") not in BASES:
        raise ValueError(f"basis: must be one of {', '.join(BASES)}")
    if d.get("method", "marginal") not in METHODS:
        raise ValueError(f"method: must be one of {', '.join(METHODS)}")
    plan = Plan(str(d["plan_id"]), int(d["version"]), str(d.get("name") or d["plan_id"]),
                date.fromisoformat(str(d["effective_from"])), tiers, money("quota"),
                d.get("basis", "attainment"), d.get("method", "marginal"), bool(d.get("gate", False)),
                money("cap"), money("minimum"))
    if plan.cap is not None and plan.minimum is not None and plan.cap < plan.minimum:
        raise ValueError("cap: must not be below minimum")
    return plan


def version_in_force(versions: list[Plan], period_start: date) -> Plan | None:
    """The latest version effective on or before the period's first day."""
    eligible = [v for v in versions if v.effective_from <= period_start]
    return max(eligible, key=lambda v: (v.effective_from, v.version)) if eligible else None
