"""Aggregate ids are uuid5 of source ids, so a re-delivered fact can never create a twin."""
from uuid import UUID, uuid5

__all__ = ["deal_uuid", "rep_uuid", "activity_uuid", "plan_uuid", "period_uuid"]

_TALLY = UUID("5b2f3c1e-7d41-4c7e-9a53-0b6a1f0e7a11")


def deal_uuid(deal_id: str) -> UUID:
    return uuid5(_TALLY, f"deal:{deal_id}")


def rep_uuid(rep_id: str) -> UUID:
    return uuid5(_TALLY, f"rep:{rep_id}")


def activity_uuid(activity_id: str) -> UUID:
    return uuid5(_TALLY, f"activity:{activity_id}")


def plan_uuid(plan_id: str) -> UUID:
    return uuid5(_TALLY, f"plan:{plan_id}")


def period_uuid(period: str) -> UUID:
    return uuid5(_TALLY, f"period:{period}")
