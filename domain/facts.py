"""Validated inbound facts: what the way in hands to the ledger.

A fact is immutable and carries its idempotency key (`event_id`) and its business time
(`occurred_at`, timezone-aware). Ordering facts by `(occurred_at, event_id)` is the one
business order every projection uses, whatever order the facts arrived in.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

__all__ = ["conflicts", "Share", "DealFact", "RepFact", "QuotaFact", "ActivityFact", "PlanFact", "PeriodFact",
           "Fact", "DEAL_KINDS"]

DEAL_KINDS = ("opened", "updated", "won", "lost", "reopened", "credited")


@dataclass(frozen=True)
class Share:
    rep_id: str
    share: Decimal


@dataclass(frozen=True)
class DealFact:
    event_id: str
    kind: str  # one of DEAL_KINDS
    occurred_at: datetime
    source: str
    deal_id: str
    rep_id: str | None  # None only on `credited`, which names the deal alone
    currency: str
    amount: Decimal | None = None
    product: str | None = None
    account: str | None = None
    splits: tuple[Share, ...] = ()
    overlays: tuple[Share, ...] = ()
    estimated: bool = False
    credit_note_id: str | None = None


@dataclass(frozen=True)
class RepFact:
    event_id: str
    kind: str  # joined | moved
    occurred_at: datetime
    source: str
    rep_id: str
    manager: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class QuotaFact:
    """`quota.set`: a rep's quota for one period; a later fact in business order wins."""

    event_id: str
    occurred_at: datetime
    source: str
    rep_id: str
    period: str
    amount: Decimal


@dataclass(frozen=True)
class PlanFact:
    """`plan.published` (a version's definition) or `plan.assigned` (who it covers, when)."""

    event_id: str
    kind: str  # published | assigned
    occurred_at: datetime
    source: str
    plan_id: str
    definition: dict[str, Any] | None = None  # published: Plan.definition() form
    scope: str | None = None  # assigned: rep:NAME | company | region:NAME | manager:NAME
    effective_from: date | None = None
    effective_to: date | None = None  # assigned: exclusive; None = open-ended


@dataclass(frozen=True)
class PeriodFact:
    """`period.closed`: the period's statements are final; later facts become adjustments."""

    event_id: str
    occurred_at: datetime
    source: str
    period: str


@dataclass(frozen=True)
class ActivityFact:
    event_id: str
    occurred_at: datetime
    source: str
    activity_id: str
    rep_id: str
    kind: str
    deal_id: str | None = None
    duration_s: int | None = None


Fact = DealFact | RepFact | QuotaFact | ActivityFact | PlanFact | PeriodFact


def conflicts(stored: dict[str, Any], earlier: dict[str, Any]) -> bool:
    """Does a fact reuse an event_id for other content? (fields older facts lack don't count)"""
    return any(earlier[k] != v for k, v in stored.items() if k in earlier)
