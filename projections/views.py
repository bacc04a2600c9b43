"""The rows projections keep, and the port every view store implements.

Rows are absolute values (a rep's score is the recomputed total, never an increment), so a
replayed or redelivered event can never double count. A store writes a batch of row
changes and its tracking position in one atomic step.
"""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

__all__ = [
    "CreditRow", "ActivityRow", "RepRow", "ScoreRow", "MilestoneRow",
    "WorkingSet", "ViewChanges", "Snapshot", "ViewStore",
]


@dataclass(frozen=True)
class CreditRow:
    deal_id: str
    rep: str
    amount: Decimal  # this rep's credited part, net of credit notes
    deal_amount: Decimal
    at: datetime
    event_id: str  # the won fact's event id
    position: int = 0  # ledger notification id of the won fact
    source: str = ""  # the won fact's source
    role: str = "credit"  # credit (whole or split share) | overlay (outside the 100 %)

    @property
    def sold(self) -> bool:
        """Split credit counts on boards and sales milestones; overlay credit pays commission only."""
        return self.role == "credit"


@dataclass(frozen=True)
class ActivityRow:
    activity_id: str
    rep: str
    kind: str
    points: Decimal
    at: datetime
    event_id: str


@dataclass(frozen=True)
class RepRow:
    rep: str
    manager: str | None
    region: str | None


@dataclass(frozen=True)
class ScoreRow:
    metric: str
    window: str
    rep: str
    score: Decimal
    reached_at: datetime
    reached_event_id: str


@dataclass(frozen=True)
class MilestoneRow:
    key: str
    kind: str
    rep: str
    status: str  # fired | revoked
    period: str | None
    deal_id: str
    value: Decimal
    at: datetime
    event_id: str

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "rep": self.rep, "status": self.status,
                "period": self.period, "deal_id": self.deal_id, "value": str(self.value),
                "at": self.at.isoformat(), "event_id": self.event_id}


@dataclass
class WorkingSet:
    """What a projection needs in memory to recompute any row: live state, not history."""

    credits: list[CreditRow] = field(default_factory=list)
    activities: list[ActivityRow] = field(default_factory=list)
    reps: list[RepRow] = field(default_factory=list)
    milestones: list[MilestoneRow] = field(default_factory=list)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class ViewChanges:
    """Absolute new values; None deletes. Keys: deal_id, activity_id, rep, (metric, window,
    rep), (rep, quarter), milestone key, document key.

    Documents are JSON-ready dicts a projection keeps for itself (plans, quotas, closed
    periods): the store only keeps them, it never reads inside."""

    credits: dict[str, list[CreditRow]] = field(default_factory=dict)
    activities: dict[str, ActivityRow | None] = field(default_factory=dict)
    reps: dict[str, RepRow] = field(default_factory=dict)
    scores: dict[tuple[str, str, str], ScoreRow | None] = field(default_factory=dict)
    statements: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)
    milestones: dict[str, MilestoneRow | None] = field(default_factory=dict)
    documents: dict[str, dict[str, Any] | None] = field(default_factory=dict)


@dataclass
class Snapshot:
    """Every row a store holds and the position they are at, read at one instant (an audit
    must not compare a view that moved on while it was being read)."""

    position: int
    working: WorkingSet
    boards: dict[tuple[str, str], list[ScoreRow]]  # (metric, window) -> rows in the store's board order
    statements: dict[tuple[str, str], dict[str, Any]]  # (rep, quarter) -> statement


class ViewStore(Protocol):
    def position(self) -> int:
        """Last ledger notification id applied; 0 for an empty store."""

    def working_set(self) -> WorkingSet: ...

    def snapshot(self) -> Snapshot:
        """Every row and the position, as one commit left them (a projector may be writing)."""

    def commit(self, changes: ViewChanges, position: int) -> None:
        """Writes the changes and the position atomically: both or neither."""

    def score_rows(self, metric: str, window: str) -> list[ScoreRow]:
        """In board order: the byte order of board_order.member, which Redis keeps natively."""

    def score_windows(self, metric: str) -> list[str]: ...
    def rep_scores(self, rep: str) -> list[ScoreRow]: ...
    def rep_rows(self) -> list[RepRow]: ...
    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None: ...
    def statement_totals(self, rep: str) -> dict[str, str]: ...
    def milestone_rows(self) -> list[MilestoneRow]: ...

    def won_totals(self) -> tuple[int, Decimal]:
        """How many deals are won, and their amount (each deal once, whatever its splits)."""
