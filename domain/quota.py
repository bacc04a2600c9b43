"""Quotas: a rep's quota for a period, prorated by days for a rep who joins mid-period."""
from datetime import date
from decimal import Decimal

from domain.money import ZERO, round_cents
from domain.periods import quarter_bounds

__all__ = ["prorated_quota"]


def prorated_quota(quota: Decimal, quarter: str, joined_on: date | None) -> Decimal:
    """Quota x days from joining to the quarter's end / days in the quarter, half-up to cents.

    Quota 90,000 for 2017-Q3 (92 days), joined 2017-08-16 (46 days left): 45,000.00.
    """
    start, end = quarter_bounds(quarter)
    if joined_on is None or joined_on <= start:
        return quota
    if joined_on >= end:
        return ZERO
    return round_cents(quota * Decimal((end - joined_on).days) / Decimal((end - start).days))
