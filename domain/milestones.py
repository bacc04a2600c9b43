"""Milestone rules: when a rep has reached something, decided from facts alone.

Each milestone has a key that it fires once for: quota reached once per rep and quarter,
first deal won once per rep ever, big deal once per deal. What reached it (the deal and
its business time) is recomputed from the facts, so any arrival order gives the same
answer; whether a change is pushed to people is the projection's business, not this one's.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.commission import Credit

__all__ = ["Reached", "quota_reached", "first_deal", "is_big_deal"]


@dataclass(frozen=True)
class Reached:
    deal_id: str
    at: datetime
    event_id: str
    value: Decimal


def _business(credits: list[Credit]) -> list[Credit]:
    return sorted(credits, key=lambda c: (c.at, c.event_id, c.deal_id))


def quota_reached(credits: list[Credit], quota: Decimal) -> Reached | None:
    """The deal whose credit took the period's revenue to quota, if it got there."""
    revenue = Decimal(0)
    for credit in _business(credits):
        revenue += credit.amount
        if revenue >= quota > 0:
            return Reached(credit.deal_id, credit.at, credit.event_id, revenue)
    return None


def first_deal(credits: list[Credit]) -> Reached | None:
    ordered = _business(credits)
    if not ordered:
        return None
    c = ordered[0]
    return Reached(c.deal_id, c.at, c.event_id, c.amount)


def is_big_deal(amount: Decimal, threshold: Decimal) -> bool:
    return amount >= threshold
