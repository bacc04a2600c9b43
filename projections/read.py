"""What readers of the views (gateway, CLI) may ask; every view store answers it.

Answers are plain values: boards as ranked rows, the rest as JSON-ready dicts with money
as decimal strings.
"""
from typing import Any, Protocol

from domain.board import RankedRow, Scope

__all__ = ["ScoreReader"]


class ScoreReader(Protocol):
    def board(self, metric: str, window: str, scope: Scope) -> list[RankedRow]:
        """Every rep in scope, ranked; reps without a score at zero."""

    def reps(self, scope: Scope) -> list[str]:
        """Reps who joined into a scope (every joined rep for the company), by name."""

    def windows(self, metric: str) -> list[str]:
        """Windows that hold data for a metric, oldest first within a kind, `all` last."""

    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None:
        """A rep's commission statement for a quarter, or None when there is none."""

    def milestones(self, scope: Scope) -> list[dict[str, Any]]:
        """Fired milestones of reps in scope, in business order."""

    def rep_summary(self, rep: str) -> dict[str, Any] | None:
        """A rep's team, scores per window and statement totals; None for an unknown rep."""
