"""The commission calculator: a rep's credited deals in a period, under a plan, to a statement.

Deals stack into tiers in business order `(at, event_id)`. Marginal tiers pay each slice
at its own rate, so a deal crossing a boundary gets one line per tier; retroactive tiers
pay every deal at the rate of the tier the period reached. With a gate, tiers past quota
pay at most the base rate until year-to-date revenue meets year-to-date quota: a gate holds
back accelerators, never raises a decelerator. A cap or minimum is
its own line; adjustments for closed periods are lines too. Lines are exact; the total is
rounded half-up to cents once, and the rounding is shown. Without a plan, credits earn
nothing, but adjustments for closed periods still land: a difference is never lost.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.money import ZERO, round_cents
from domain.plan import Plan

__all__ = ["Credit", "Gate", "Adjustment", "Line", "Statement", "compute_statement"]


@dataclass(frozen=True)
class Credit:
    deal_id: str
    amount: Decimal
    at: datetime
    event_id: str
    position: int = 0
    source: str = ""


@dataclass(frozen=True)
class Gate:
    ytd_revenue: Decimal
    ytd_quota: Decimal

    @property
    def met(self) -> bool:
        return self.ytd_revenue >= self.ytd_quota


@dataclass(frozen=True)
class Adjustment:
    period: str  # the closed period the difference belongs to
    amount: Decimal


@dataclass(frozen=True)
class Line:
    kind: str  # credit | cap | minimum | adjustment
    amount: Decimal  # exact
    deal_id: str = ""
    event_id: str = ""
    position: int = 0
    source: str = ""
    at: datetime | None = None
    credited: Decimal = ZERO  # the deal's credit to this rep
    tier: int = 0  # 1-based; 0 for lines that are not tier slices
    rate: Decimal = ZERO
    base: Decimal = ZERO  # the slice of the credit this line pays on
    note: str = ""
    period: str = ""  # adjustment lines: the closed period the difference belongs to


@dataclass(frozen=True)
class Statement:
    rep: str
    period: str
    plan: Plan | None  # None: no plan covers the rep in this period
    quota: Decimal
    revenue: Decimal
    lines: tuple[Line, ...]
    gate: Gate | None

    @property
    def exact(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return round_cents(self.exact)

    @property
    def rounding(self) -> Decimal:
        return self.total - self.exact

    @property
    def attainment(self) -> Decimal:
        return self.revenue / self.quota if self.quota else ZERO


def _rates(plan: Plan, quota: Decimal, gate: Gate | None) -> list[tuple[int, Decimal, Decimal, str]]:
    """(tier number, lower bound in money, rate paid, note) per tier."""
    if plan.basis == "attainment" and quota <= 0:
        return [(1, ZERO, plan.tiers[0].rate, "no quota: first tier's rate")]
    floors = [plan.floor_amount(t, quota) for t in plan.tiers]
    gated = plan.gate and gate is not None and not gate.met
    base = next((t.rate for t, f in reversed(list(zip(plan.tiers, floors))) if f < quota), plan.tiers[0].rate)
    out = []
    for number, (tier, floor) in enumerate(zip(plan.tiers, floors), start=1):
        held = gated and quota > 0 and floor >= quota and tier.rate > base  # accelerators only
        out.append((number, floor, base if held else tier.rate, "gate not met: base rate" if held else ""))
    return out


def _credit_lines(plan: Plan, quota: Decimal, credits: list[Credit], gate: Gate | None) -> list[Line]:
    tiers = _rates(plan, quota, gate)
    ordered = sorted(credits, key=lambda c: (c.at, c.event_id, c.deal_id))
    lines: list[Line] = []
    if plan.method == "retroactive":
        revenue = sum((c.amount for c in ordered), ZERO)
        number, _, rate, note = max((t for t in tiers if t[1] <= revenue), key=lambda t: t[0])
        return [Line("credit", c.amount * rate, c.deal_id, c.event_id, c.position, c.source, c.at,
                     c.amount, number, rate, c.amount, note) for c in ordered]
    revenue = ZERO
    for c in ordered:
        start, end = revenue, revenue + c.amount
        for i, (number, lower, rate, note) in enumerate(tiers):
            upper = tiers[i + 1][1] if i + 1 < len(tiers) else None
            low, high = max(start, lower), end if upper is None else min(end, upper)
            if high > low:
                lines.append(Line("credit", (high - low) * rate, c.deal_id, c.event_id, c.position,
                                  c.source, c.at, c.amount, number, rate, high - low, note))
        revenue = end
    return lines


def compute_statement(rep: str, period: str, plan: Plan | None, quota: Decimal, credits: list[Credit], *,
                      gate: Gate | None = None, adjustments: tuple[Adjustment, ...] = (),
                      minimum_due: bool = True) -> Statement:
    """`minimum_due`: whether the plan's minimum is owed in this period (the caller knows
    whether the rep is on the plan then)."""
    lines = [] if plan is None else _credit_lines(plan, quota, credits, gate)
    earned = sum((line.amount for line in lines), ZERO)
    if plan is not None and plan.cap is not None and earned > plan.cap:
        lines.append(Line("cap", plan.cap - earned, note=f"cap {plan.cap}"))
    if plan is not None and minimum_due and plan.minimum is not None and earned < plan.minimum:
        lines.append(Line("minimum", plan.minimum - earned, note=f"minimum {plan.minimum}"))
    lines += [Line("adjustment", a.amount, note=f"adjustment for closed period {a.period}",
                   period=a.period) for a in adjustments]
    revenue = sum((c.amount for c in credits), ZERO)
    return Statement(rep, period, plan, quota, revenue, tuple(lines), gate if plan and plan.gate else None)
