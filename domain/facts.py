"""Validated inbound facts: what the way in hands to the ledger.

A fact is immutable and carries its idempotency key (`event_id`) and its business time
(`occurred_at`, timezone-aware). Ordering facts by `(occurred_at, event_id)` is the one
business order every projection uses, whatever order the facts arrived in.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

__all__ = ["Share", "DealFact", "RepFact", "ActivityFact", "Fact", "DEAL_KINDS"]

DEAL_KINDS = ("opened", "updated", "won", "lost", "reopened")


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
    rep_id: str
    currency: str
    amount: Decimal | None = None
    product: str | None = None
    account: str | None = None
    splits: tuple[Share, ...] = ()
    estimated: bool = False


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
class ActivityFact:
    event_id: str
    occurred_at: datetime
    source: str
    activity_id: str
    rep_id: str
    kind: str
    deal_id: str | None = None
    duration_s: int | None = None


Fact = DealFact | RepFact | ActivityFact
