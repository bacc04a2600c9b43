"""What-if: what one more deal would pay a rep, computed from the views, never written.

"Now" is the latest business time the ledger has seen, not the wall clock; `as_of` looks
at the period as it stood at the end of that business day. The deal amount is read by the
door's money reader, so an estimate accepts exactly what ingest would. Totals are the
statement's, adjustment lines included; a deal dated in a closed period would be paid as
an adjustment in the first open period after it, and the estimate says so.
"""
from datetime import datetime, time, timedelta
from typing import Any

from domain.commission import Credit
from domain.money import ZERO, money_text
from domain.periods import quarter_of
from projections.scoring import Scoreboard
from projections.settlement import open_statement
from streams.exceptions import InvalidEvent
from streams.fields import day, money
from tally.bootstrap import Embedded

__all__ = ["what_if"]

DEAL = "what-if"


def what_if(app: Embedded, rep: str, amount_text: str, as_of: str | None) -> dict[str, Any]:
    """ValueError (naming the option) for input it cannot use, or an unknown rep."""
    try:
        amount = money(amount_text, "--deal")
        as_of_day = None if as_of is None else day({"--as-of": as_of}, "--as-of")
    except InvalidEvent as error:
        raise ValueError(f"{error.field}: {error.reason}") from None
    if amount <= 0:
        raise ValueError(f"--deal: must be above 0, got {amount_text}")
    tz = app.settings.tz
    board = Scoreboard(app.views.working_set(), app.rules)
    if not board.knows(rep):
        raise ValueError(f"no rep named {rep!r} in the ledger (names are case-sensitive)")
    if as_of_day is not None:
        at = datetime.combine(as_of_day + timedelta(days=1), time(), tz) - timedelta(microseconds=1)
    elif board.latest is None:
        raise ValueError("the ledger is empty: give --as-of")
    else:
        at = board.latest
    quarter = quarter_of(at, tz)
    book = board.book
    known = board.quarters()
    known[rep] = known.get(rep, set()) | {quarter}

    def credits_before(r: str, q: str) -> list[Credit]:
        return [c for c in board.credits_of(r, q) if c.at <= at]

    def credits_after(r: str, q: str) -> list[Credit]:
        extra = [Credit(DEAL, amount, at, "~what-if")] if (r, q) == (rep, quarter) else []
        return credits_before(r, q) + extra

    period = book.statement(rep, quarter, credits_after)
    if period is None:
        raise ValueError(f"no plan covers {rep!r} in {quarter}")
    lands_in = book.target(quarter) if quarter in book.closed else quarter
    before = open_statement(book, rep, lands_in, credits_before, known)
    after = open_statement(book, rep, lands_in, credits_after, known)
    total_before = before.total if before else ZERO
    total_after = after.total if after else total_before
    return {
        "rep": rep, "period": quarter, "paid_in": lands_in, "as_of": at.isoformat(), "deal": money_text(amount),
        "plan": period.plan.plan_id, "plan_version": period.plan.version,
        "total_before": money_text(total_before), "total_after": money_text(total_after),
        "pays": money_text(total_after - total_before),
        "lines": [{"tier": l.tier, "rate": str(l.rate), "base": money_text(l.base), "amount": money_text(l.amount),
                   "note": l.note} for l in period.lines if l.deal_id == DEAL],
    }
