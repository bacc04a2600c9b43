"""Money is Decimal, always; rounding happens at named points only.

Amounts are kept exact through every sum and tier slice. A statement's total is
rounded once, half-up to cents, and the difference is shown as its own figure.
"""
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["CENT", "ZERO", "round_cents", "money_text"]

CENT = Decimal("0.01")
ZERO = Decimal("0")


def round_cents(amount: Decimal) -> Decimal:
    """Half-up to cents: the one rounding rule of commission totals."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(amount: Decimal) -> str:
    """Money as people read it: 2 decimals (3344.0 -> 3344.00, 267.520 -> 267.52), more only
    where the exact value needs them (0.005 stays 0.005). Never exponent notation."""
    amount = amount if amount else abs(amount)  # no "-0.00"
    cents = amount.quantize(CENT) if amount.adjusted() < 26 else amount
    return format(cents if cents == amount else amount.normalize(), "f")
