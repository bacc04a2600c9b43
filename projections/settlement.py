"""Settling statements: recompute what is dirty, and close periods.

A rep has a statement for a quarter when something is credited to them in it, a plan
minimum is due in it (`CommissionBook.guaranteed`), or an adjustment for a closed quarter
lands in it; it is kept when it has a line or a credit. Nothing else decides it, so the
statements are the same whatever the batches, arrival order (on each side of a close) or
restarts. An open period's statement carries, for each closed period whose figure has moved
since it was settled, one adjustment line with the difference. Closing a period first
settles everything pending (the close is a fact in ledger order), then freezes its
statements and records what they paid, adjustments included, as settled.
"""
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from domain.commission import Adjustment, Statement, compute_statement
from domain.money import ZERO
from projections.commissions import CommissionBook, CreditsOf
from projections.statements import statement_json
from projections.views import ViewChanges

__all__ = ["settle", "close_period", "open_statement", "empty_statement"]

Known = Callable[[], dict[str, set[str]]]  # rep -> quarters with credits or a minimum due


def _periods(book: CommissionBook, known: dict[str, set[str]], rep: str) -> set[str]:
    return known.get(rep, set()) | set(book.settled.get(rep, {}))


def _expand(book: CommissionBook, known: dict[str, set[str]]) -> set[tuple[str, str]]:
    reps = set(known) | set(book.settled) | set(book.profiles)
    out: set[tuple[str, str]] = set()
    for rep, quarter in book.dirty:
        for r in (reps if rep == "*" else {rep}):
            periods = _periods(book, known, r)
            for q in (periods if quarter == "*" else {quarter}):
                out.add((r, q))  # later quarters of the year too: a gate looks year-to-date
                out |= {(r, p) for p in periods if p[:4] == q[:4] and p > q}
    book.dirty = set()
    return out


def _earned(book: CommissionBook, rep: str, quarter: str, credits_of: CreditsOf) -> Decimal:
    return book.statement(rep, quarter, credits_of).total


def open_statement(book: CommissionBook, rep: str, quarter: str, credits_of: CreditsOf,
                   known: dict[str, set[str]]) -> Statement | None:
    """A period's statement as it stands: its own credits plus one adjustment line per closed
    period whose figure has moved since it was settled; None when the rep has none in it."""
    periods = _periods(book, known, rep)
    adjustments = []
    for source in sorted(q for q in periods if q in book.closed):
        if book.target(source) == quarter:
            diff = _earned(book, rep, source, credits_of) - book.settled.get(rep, {}).get(source, ZERO)
            if diff:
                adjustments.append(Adjustment(source, diff))
    if not adjustments and quarter not in known.get(rep, set()):
        return None
    statement = book.statement(rep, quarter, credits_of, adjustments=tuple(adjustments))
    return statement if statement.lines or credits_of(rep, quarter) else None


def settle(book: CommissionBook, credits_of: CreditsOf, known: Known, changes: ViewChanges) -> None:
    periods = known()
    dirty = _expand(book, periods)
    dirty |= {(rep, book.target(q)) for rep, q in dirty if q in book.closed}
    for rep, quarter in sorted(dirty):
        if quarter in book.closed:
            continue
        statement = open_statement(book, rep, quarter, credits_of, periods)
        changes.statements[(rep, quarter)] = None if statement is None else statement_json(statement)


def close_period(book: CommissionBook, quarter: str, position: int, credits_of: CreditsOf,
                 known: Known, changes: ViewChanges) -> None:
    if quarter in book.closed:
        return
    settle(book, credits_of, known, changes)
    periods = known()
    for rep in sorted(set(periods) | set(book.settled)):
        statement = open_statement(book, rep, quarter, credits_of, periods)
        if statement is None:
            continue
        paid = book.settled.setdefault(rep, {})
        adjustments = [line for line in statement.lines if line.kind == "adjustment"]
        paid[quarter] = statement.total - sum((line.amount for line in adjustments), ZERO)
        for line in adjustments:
            paid[line.period] = paid.get(line.period, ZERO) + line.amount
        changes.statements[(rep, quarter)] = statement_json(statement, closed=True)
        changes.documents[f"settled:{rep}"] = {p: str(v) for p, v in sorted(paid.items())}
    book.closed[quarter] = position
    changes.documents[f"closed:{quarter}"] = {"position": position}


def empty_statement(book: CommissionBook, rep: str, quarter: str) -> dict[str, Any]:
    """What a quarter the views hold no statement of says: nothing was credited, no minimum
    was due and no adjustment landed (else there would be one), so it pays 0.00 under the plan
    in force, if any. Same shape as every statement."""
    plan = book.plan(rep, quarter)
    nothing = compute_statement(rep, quarter, plan, book.quota(rep, quarter, plan), [], minimum_due=False)
    return statement_json(nothing, closed=quarter in book.closed)
