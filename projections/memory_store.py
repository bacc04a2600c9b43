"""The in-memory view store: the reference implementation the contract tests hold others to."""
import copy
import threading
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from domain.periods import window_sort_key
from projections.board_order import by_board, member
from projections.views import MilestoneRow, RepRow, ScoreRow, Snapshot, ViewChanges, WorkingSet

__all__ = ["MemoryViewStore"]


class MemoryViewStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._position = 0
        self._credits: dict[str, list[Any]] = {}
        self._activities: dict[str, Any] = {}
        self._reps: dict[str, RepRow] = {}
        self._scores: dict[tuple[str, str, str], ScoreRow] = {}
        self._statements: dict[tuple[str, str], dict[str, Any]] = {}
        self._milestones: dict[str, MilestoneRow] = {}
        self._documents: dict[str, dict[str, Any]] = {}

    def position(self) -> int:
        return self._position

    def working_set(self) -> WorkingSet:
        with self._lock:
            return self._working_set()

    def _working_set(self) -> WorkingSet:
        return WorkingSet(
            credits=[r for rows in self._credits.values() for r in rows],
            activities=list(self._activities.values()),
            reps=list(self._reps.values()), milestones=list(self._milestones.values()),
            documents=copy.deepcopy(self._documents),
        )

    def snapshot(self) -> Snapshot:
        with self._lock:
            return Snapshot(self._position, self._working_set(), by_board(self._scores.values()),
                            copy.deepcopy(self._statements))

    def commit(self, changes: ViewChanges, position: int) -> None:
        with self._lock:
            _apply(self._credits, changes.credits)
            _apply(self._activities, changes.activities)
            _apply(self._reps, changes.reps)
            _apply(self._scores, changes.scores)
            _apply(self._statements, changes.statements)
            _apply(self._milestones, changes.milestones)
            _apply(self._documents, changes.documents)
            self._position = position

    def score_rows(self, metric: str, window: str) -> list[ScoreRow]:
        with self._lock:
            return sorted((r for (m, w, _), r in self._scores.items() if m == metric and w == window), key=member)

    def rep_scores(self, rep: str) -> list[ScoreRow]:
        with self._lock:
            return [r for (_, _, who), r in self._scores.items() if who == rep]

    def score_windows(self, metric: str) -> list[str]:
        with self._lock:
            windows = {w for (m, w, _) in self._scores if m == metric}
        return sorted(windows, key=window_sort_key)

    def rep_rows(self) -> list[RepRow]:
        with self._lock:
            return list(self._reps.values())

    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None:
        with self._lock:
            return copy.deepcopy(self._statements.get((rep, quarter)))

    def statement_totals(self, rep: str) -> dict[str, str]:
        with self._lock:
            return {q: s["total"] for (r, q), s in sorted(self._statements.items()) if r == rep}

    def won_totals(self) -> tuple[int, Decimal]:
        with self._lock:
            return len(self._credits), sum((rows[0].deal_amount for rows in self._credits.values()), Decimal(0))

    def milestone_rows(self) -> list[MilestoneRow]:
        with self._lock:
            return list(self._milestones.values())


def _apply(table: dict[Any, Any], updates: Mapping[Any, Any]) -> None:
    """Row changes: None (or no credits) deletes, anything else replaces (rows are immutable)."""
    for key, value in updates.items():
        if value is None or value == []:
            table.pop(key, None)
        else:
            table[key] = value
