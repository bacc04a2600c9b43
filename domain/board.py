"""Leaderboard rules: scopes, tie order and competition ranking.

Higher score ranks first. Equal scores share a rank (50, 50, 30 -> 1, 1, 3) and are
listed by who reached the score first in business time, then by event id; reps at zero
are listed by name. A board always lists every rep in its scope.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

__all__ = ["METRICS", "Scope", "Score", "RankedRow", "rank"]

METRICS = ("revenue", "deals", "activity")


@dataclass(frozen=True)
class Scope:
    """`company`, `region:<name>` or `manager:<name>`; a name may hold spaces and colons."""

    kind: str
    name: str | None = None

    @classmethod
    def parse(cls, text: str) -> "Scope":
        if text == "company":
            return cls("company")
        kind, sep, name = text.partition(":")
        if sep and kind in ("region", "manager") and name:
            return cls(kind, name)
        raise ValueError(f"scope {text!r} is not 'company', 'region:NAME' or 'manager:NAME'")

    def __str__(self) -> str:
        return self.kind if self.name is None else f"{self.kind}:{self.name}"

    def holds(self, region: str | None, manager: str | None) -> bool:
        if self.kind == "company":
            return True
        return (region if self.kind == "region" else manager) == self.name


@dataclass(frozen=True)
class Score:
    rep: str
    score: Decimal
    reached_at: datetime | None = None
    reached_event_id: str = ""


@dataclass(frozen=True)
class RankedRow:
    rank: int
    rep: str
    score: Decimal
    reached_at: datetime | None


def rank(scores: list[Score], reps: list[str], *, zero: Decimal = Decimal(0)) -> list[RankedRow]:
    """Ranks `scores` and lists every rep of `reps` without one at `zero` (0.00 on a money
    board, so equal scores print alike)."""
    by_rep = {s.rep: s for s in scores}
    for rep in reps:
        by_rep.setdefault(rep, Score(rep, zero))
    scored = sorted(
        (s for s in by_rep.values() if s.score != 0),
        key=lambda s: (-s.score, s.reached_at, s.reached_event_id, s.rep),
    )
    zeros = sorted((s for s in by_rep.values() if s.score == 0), key=lambda s: s.rep)
    ahead = [s for s in scored if s.score > 0]
    behind = [s for s in scored if s.score < 0]
    rows: list[RankedRow] = []
    for position, s in enumerate(ahead + zeros + behind, start=1):
        shared = rows and rows[-1].score == s.score
        rows.append(RankedRow(rows[-1].rank if shared else position, s.rep, s.score, s.reached_at))
    return rows
