"""What-if: what one more deal would pay a rep, computed from the views, never written.

"Now" is the latest business time the ledger has seen, not the wall clock; `as_of` looks
at the period as it stood at the end of that business day.
"""
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.commission import Credit
from domain.money import ZERO
from domain.periods import quarter_of
from projections.scoring import Scoreboard
from tally.bootstrap import Embedded

__all__ = ["what_if"]


def what_if(app: Embedded, rep: str, amount_text: str, as_of: str | None) -> dict[str, Any]:
    try:
        amount = Decimal(amount_text)
    except InvalidOperation:
        raise ValueError(f"--deal: {amount_text!r} is not a decimal amount") from None
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"--deal: must be above 0, got {amount_text}")
    tz = app.settings.tz
    board = Scoreboard(app.views.working_set(), app.rules)
    if as_of is not None:
        at = datetime.combine(date.fromisoformat(as_of) + timedelta(days=1), time(), tz) - timedelta(microseconds=1)
    elif board.latest is None:
        raise ValueError("the ledger is empty: give --as-of")
    else:
        at = board.latest
    quarter = quarter_of(at, tz)

    def credits_of(r: str, q: str) -> list[Credit]:
        return [c for c in board.credits_of(r, q) if c.at <= at]

    before = board.book.statement(rep, quarter, credits_of)
    after = board.book.statement(rep, quarter, credits_of, extra=(Credit("what-if", amount, at, "~what-if"),))
    if after is None:
        raise ValueError(f"no plan covers {rep!r} in {quarter}")
    total_before = before.total if before else ZERO
    return {
        "rep": rep, "period": quarter, "as_of": at.isoformat(), "deal": str(amount),
        "plan": after.plan.plan_id, "plan_version": after.plan.version,
        "total_before": str(total_before), "total_after": str(after.total),
        "pays": str(after.total - total_before),
        "lines": [{"tier": l.tier, "rate": str(l.rate), "base": str(l.base), "amount": str(l.amount), "note": l.note}
                  for l in after.lines if l.deal_id == "what-if"],
    }
