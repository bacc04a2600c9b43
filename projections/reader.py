"""Answers readers' questions (ScoreReader) from any view store."""
from decimal import Decimal
from typing import Any

from domain.board import RankedRow, Scope, Score, rank
from projections.views import ViewStore

__all__ = ["Reader"]

ZERO_MONEY = Decimal("0.00")


class Reader:
    """`boards`, when given, answers the board questions (scores); `store` everything else."""

    def __init__(self, store: ViewStore, *, boards: ViewStore | None = None) -> None:
        self._store = store
        self._boards = boards or store

    def _team(self) -> dict[str, tuple[str | None, str | None]]:
        return {r.rep: (r.region, r.manager) for r in self._store.rep_rows()}

    def reps(self, scope: Scope) -> list[str]:
        return sorted(rep for rep, (region, manager) in self._team().items() if scope.holds(region, manager))

    def knows(self, scope: Scope) -> bool:
        """Whether any rep is in the scope: an unknown region or manager is a mistake, not an empty board."""
        return scope.kind == "company" or bool(self.reps(scope))

    def board(self, metric: str, window: str, scope: Scope) -> list[RankedRow]:
        rows = self._boards.score_rows(metric, window)
        in_scope = set(self.reps(scope))
        if scope.kind == "company":
            in_scope |= {r.rep for r in rows}
        scores = [Score(r.rep, r.score, r.reached_at, r.reached_event_id) for r in rows if r.rep in in_scope]
        return rank(scores, sorted(in_scope), zero=ZERO_MONEY if metric == "revenue" else Decimal(0))

    def won_totals(self) -> tuple[int, Decimal]:
        return self._store.won_totals()

    def windows(self, metric: str) -> list[str]:
        return self._boards.score_windows(metric)

    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None:
        return self._store.statement(rep, quarter)

    def documents(self) -> dict[str, dict[str, Any]]:
        """The projection's own documents (plans, assignments, profiles, closes): what a
        commission book is made of."""
        return self._store.working_set().documents

    def milestones(self, scope: Scope) -> list[dict[str, Any]]:
        team = self._team()
        rows = [m for m in self._store.milestone_rows()
                if scope.kind == "company" or scope.holds(*team.get(m.rep, (None, None)))]
        rows.sort(key=lambda m: (m.at, m.event_id, m.key))
        return [{**m.as_json(), "region": team.get(m.rep, (None, None))[0],
                 "manager": team.get(m.rep, (None, None))[1]} for m in rows]

    def rep_summary(self, rep: str) -> dict[str, Any] | None:
        team = self._team()
        scores = self._boards.rep_scores(rep)
        commissions = self._store.statement_totals(rep)
        if rep not in team and not scores and not commissions:
            return None  # neither joined, nor on a board, nor paid (overlay credit alone is paid)
        region, manager = team.get(rep, (None, None))
        by_metric: dict[str, dict[str, str]] = {}
        for s in sorted(scores, key=lambda s: (s.metric, s.window)):
            by_metric.setdefault(s.metric, {})[s.window] = str(s.score)
        return {"rep": rep, "region": region, "manager": manager, "scores": by_metric,
                "commissions": commissions,
                "milestones": [m.as_json() for m in sorted(self._store.milestone_rows(),
                                                          key=lambda m: (m.at, m.event_id, m.key))
                                if m.rep == rep]}
