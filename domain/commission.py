"""The commission calculator: a rep's credited deals in a period, under a plan, to a statement.

Deals stack into tiers in business order `(at, event_id)`. Tiers are marginal: each slice
of revenue pays its own tier's rate, so a deal crossing a boundary gets one line per tier.
Lines are exact; the total is rounded half-up to cents once, and the rounding is shown.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.money import ZERO, round_cents

__all__ = ["Tier", "Plan", "Credit", "Line", "Statement", "compute_statement"]


@dataclass(frozen=True)
class Tier:
    floor: Decimal  # attainment (fraction of quota) where the tier starts
    rate: Decimal


@dataclass(frozen=True)
class Plan:
    name: str
    version: int
    quota: Decimal  # per quarter
    tiers: tuple[Tier, ...]


@dataclass(frozen=True)
class Credit:
    deal_id: str
    amount: Decimal
    at: datetime
    event_id: str


@dataclass(frozen=True)
class Line:
    deal_id: str
    event_id: str
    at: datetime
    credited: Decimal  # the deal's credit to this rep
    tier: int  # 1-based
    rate: Decimal
    base: Decimal  # the slice of the credit that falls in this tier
    commission: Decimal  # exact: base x rate


@dataclass(frozen=True)
class Statement:
    rep: str
    period: str
    plan: str
    plan_version: int
    quota: Decimal
    revenue: Decimal
    lines: tuple[Line, ...]
    exact: Decimal
    total: Decimal

    @property
    def rounding(self) -> Decimal:
        return self.total - self.exact

    @property
    def attainment(self) -> Decimal:
        return self.revenue / self.quota if self.quota else ZERO


def _bounds(plan: Plan) -> list[tuple[int, Decimal, Decimal | None, Decimal]]:
    """(tier number, lower, upper or None, rate) in money, from attainment floors."""
    floors = [t.floor * plan.quota for t in plan.tiers]
    return [
        (i + 1, floors[i], floors[i + 1] if i + 1 < len(floors) else None, t.rate)
        for i, t in enumerate(plan.tiers)
    ]


def compute_statement(rep: str, period: str, plan: Plan, credits: list[Credit]) -> Statement:
    lines: list[Line] = []
    revenue = ZERO
    tiers = _bounds(plan)
    for credit in sorted(credits, key=lambda c: (c.at, c.event_id, c.deal_id)):
        start, end = revenue, revenue + credit.amount
        for number, lower, upper, rate in tiers:
            low = max(start, lower)
            high = end if upper is None else min(end, upper)
            if high > low:
                base = high - low
                lines.append(Line(credit.deal_id, credit.event_id, credit.at, credit.amount,
                                  number, rate, base, base * rate))
        revenue = end
    exact = sum((line.commission for line in lines), ZERO)
    return Statement(rep, period, plan.name, plan.version, plan.quota, revenue,
                     tuple(lines), exact, round_cents(exact))
