"""Money is Decimal, always; rounding happens at named points only.

Amounts are kept exact through every sum and tier slice. A statement's total is
rounded once, half-up to cents, and the difference is shown as its own figure.
"""
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["CENT", "ZERO", "round_cents"]

CENT = Decimal("0.01")
ZERO = Decimal("0")


def round_cents(amount: Decimal) -> Decimal:
    """Half-up to cents: the one rounding rule of commission totals."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
