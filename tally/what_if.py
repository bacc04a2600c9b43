"""What-if: what one more deal would pay a rep, computed from the views, never written.

The deal closes on `as_of` (a business date, 00:00 in TALLY_TZ as ingest reads a date), or
"now": the ledger's clock, the latest business time of a sales fact. Every fact in the
ledger counts, later deals of the same quarter included, and the answer is the change the
deal would make to the statement it lands on: its own quarter's, or, when that quarter is
closed, the first open one's (as an adjustment). So ingesting the deal afterwards moves that
statement by exactly `pays`. The amount is read by the door's money reader, so an estimate
accepts exactly what ingest would.
"""
from datetime import datetime, time
from typing import Any

from domain.commission import Credit
from domain.money import ZERO, money_text
from domain.periods import quarter_of
from projections.scoring import Scoreboard
from projections.settlement import open_statement
from projections.statements import statement_json
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
        at = datetime.combine(as_of_day, time(), tz)
    elif board.latest is None:
        raise ValueError("the ledger holds no sales fact yet (a deal, activity, join or move) to tell now by: "
                         "give --as-of")
    else:
        at = board.latest
    quarter = quarter_of(at, tz)
    book = board.book
    lands_in = book.target(quarter) if quarter in book.closed else quarter
    before = open_statement(book, rep, lands_in, board.credits_of, board.quarters())
    deal = Credit(DEAL, amount, at, "~what-if")

    def with_deal(r: str, q: str) -> list[Credit]:
        return board.credits_of(r, q) + ([deal] if (r, q) == (rep, quarter) else [])

    board.saw(at)  # as ingesting the deal would move the ledger's clock
    known = board.quarters()
    known[rep] = known.get(rep, set()) | {quarter}
    after = open_statement(book, rep, lands_in, with_deal, known)
    period = statement_json(book.statement(rep, quarter, with_deal))
    total_before = before.total if before else ZERO
    total_after = after.total if after else ZERO
    return {
        "rep": rep, "period": quarter, "paid_in": lands_in, "as_of": at.astimezone(tz).date().isoformat(),
        "deal": money_text(amount), "plan": period["plan"], "plan_version": period["plan_version"],
        "total_before": money_text(total_before), "total_after": money_text(total_after),
        "pays": money_text(total_after - total_before), "note": period["note"],
        "lines": [{k: line[k] for k in ("tier", "rate", "base", "amount", "note")}
                  for line in period["lines"] if line["deal"] == DEAL],
    }
