"""Stores out of reach, told apart from bugs.

The composition root names the errors that mean a store is out of reach (Redis connection
errors, PostgreSQL operational errors), so the gateway imports no store client. At the edge
they become ViewsUnavailable, which the gateway waits out; any other error is a bug and
still stops the tick loop.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from domain.board import RankedRow, Scope
from projections.read import ScoreReader

from gateway.exceptions import ViewsUnavailable

__all__ = ["Guarded", "Outages", "translated"]

Outages = tuple[type[Exception], ...]


@contextmanager
def translated(outages: Outages) -> Iterator[None]:
    """Raises ViewsUnavailable for an outage error inside the block."""
    try:
        yield
    except outages as error:
        raise ViewsUnavailable(f"a store is out of reach ({type(error).__name__}: {error}); "
                               "try again shortly") from error


class Guarded:
    """A ScoreReader whose outage errors come out as ViewsUnavailable."""

    def __init__(self, reader: ScoreReader, outages: Outages) -> None:
        self._reader = reader
        self._outages = outages

    def board(self, metric: str, window: str, scope: Scope) -> list[RankedRow]:
        with translated(self._outages):
            return self._reader.board(metric, window, scope)

    def reps(self, scope: Scope) -> list[str]:
        with translated(self._outages):
            return self._reader.reps(scope)

    def windows(self, metric: str) -> list[str]:
        with translated(self._outages):
            return self._reader.windows(metric)

    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None:
        with translated(self._outages):
            return self._reader.statement(rep, quarter)

    def milestones(self, scope: Scope) -> list[dict[str, Any]]:
        with translated(self._outages):
            return self._reader.milestones(scope)

    def rep_summary(self, rep: str) -> dict[str, Any] | None:
        with translated(self._outages):
            return self._reader.rep_summary(rep)
