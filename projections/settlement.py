"""Settling statements: recompute what is dirty, and close periods.

An open period's statement carries, for each closed period whose figure has moved since it
was settled, one adjustment line with the difference. Closing a period first settles
everything pending (the close is a fact in ledger order), then freezes its statements and
records what they paid, adjustments included, as settled.
"""
from collections.abc import Callable
from decimal import Decimal

from domain.commission import Adjustment, Statement
from domain.money import ZERO
from projections.commissions import CommissionBook, CreditsOf
from projections.statements import statement_json
from projections.views import ViewChanges

__all__ = ["settle", "close_period", "open_statement"]

Known = Callable[[], dict[str, set[str]]]  # rep -> quarters with credits


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
    statement = book.statement(rep, quarter, credits_of)
    return statement.total if statement else ZERO


def open_statement(book: CommissionBook, rep: str, quarter: str, credits_of: CreditsOf,
                   known: dict[str, set[str]]) -> Statement | None:
    """An open period's statement: its own credits plus one adjustment line per closed
    period whose figure has moved since it was settled."""
    adjustments = []
    for source in sorted(q for q in _periods(book, known, rep) if q in book.closed):
        if book.target(source) == quarter:
            diff = _earned(book, rep, source, credits_of) - book.settled.get(rep, {}).get(source, ZERO)
            if diff:
                adjustments.append(Adjustment(source, diff))
    return book.statement(rep, quarter, credits_of, adjustments=tuple(adjustments))


def settle(book: CommissionBook, credits_of: CreditsOf, known: Known, changes: ViewChanges) -> None:
    periods = known()
    dirty = _expand(book, periods)
    dirty |= {(rep, book.target(q)) for rep, q in dirty if q in book.closed}
    for rep, quarter in sorted(dirty):
        if quarter in book.closed:
            continue
        statement = open_statement(book, rep, quarter, credits_of, periods)
        changes.statements[(rep, quarter)] = (
            statement_json(statement) if statement is not None and statement.lines else None)


def close_period(book: CommissionBook, quarter: str, position: int, credits_of: CreditsOf,
                 known: Known, changes: ViewChanges) -> None:
    if quarter in book.closed:
        return
    settle(book, credits_of, known, changes)
    periods = known()
    reps = {r for r, qs in periods.items() if quarter in qs}
    reps |= {r for r, paid in book.settled.items() if any(book.target(q) == quarter for q in paid)}
    for rep in sorted(reps):
        statement = open_statement(book, rep, quarter, credits_of, periods)
        if statement is None or not statement.lines:
            continue
        paid = book.settled.setdefault(rep, {})
        adjustments = [line for line in statement.lines if line.kind == "adjustment"]
        paid[quarter] = statement.total - sum((line.amount for line in adjustments), ZERO)
        for line in adjustments:
            paid[line.period] = paid.get(line.period, ZERO) + line.amount
        changes.statements[(rep, quarter)] = {**statement_json(statement), "closed": True}
        changes.documents[f"settled:{rep}"] = {p: str(v) for p, v in sorted(paid.items())}
    book.closed[quarter] = position
    changes.documents[f"closed:{quarter}"] = {"position": position}
