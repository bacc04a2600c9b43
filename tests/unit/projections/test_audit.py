"""The audit diff: every row of every view, keyed, boards also in the order each store lists them."""
from datetime import datetime, timezone
from decimal import Decimal

from projections.audit import differences
from projections.memory_store import MemoryViewStore
from projections.views import ActivityRow, MilestoneRow, ScoreRow, Snapshot, ViewChanges

AT = datetime(2017, 5, 2, tzinfo=timezone.utc)


class UpsideDown(MemoryViewStore):
    """A store that holds the right scores but lists its boards bottom up."""

    def snapshot(self) -> Snapshot:
        held = super().snapshot()
        return Snapshot(held.position, held.working, {k: rows[::-1] for k, rows in held.boards.items()},
                        held.statements)


def store(changes: ViewChanges, position: int = 1) -> MemoryViewStore:
    held = MemoryViewStore()
    held.commit(changes, position)
    return held


def two_reps() -> ViewChanges:
    changes = ViewChanges()
    for rep, score in (("amy", "10"), ("bo", "20")):
        changes.scores[("deals", "all", rep)] = ScoreRow("deals", "all", rep, Decimal(score), AT, f"e-{rep}")
    return changes


def minimum(total: str) -> ViewChanges:
    """A statement of a quarter with no revenue at all: only a plan minimum."""
    changes = ViewChanges()
    changes.statements[("Darcel Schlecht", "2017-Q4")] = {
        "total": total, "lines": [{"kind": "minimum", "amount": total, "position": 0}]}
    return changes


def test_a_board_listed_in_another_order_differs_even_when_every_score_agrees():
    live, rebuilt = UpsideDown(), store(two_reps())
    live.commit(two_reps(), 1)
    assert differences(live.snapshot(), rebuilt.snapshot()) == ["board deals all: live [amy, bo], rebuilt [bo, amy]"]


def test_two_stores_with_the_same_rows_have_no_differences():
    assert differences(store(two_reps(), 1).snapshot(), store(two_reps(), 7).snapshot()) == []


def test_a_statement_of_a_quarter_without_scores_is_compared_and_named_by_field():
    assert differences(store(minimum("1000.00")).snapshot(), store(minimum("999.99")).snapshot()) == [
        "statement Darcel Schlecht 2017-Q4: live total 1000.00, rebuilt 999.99; "
        "live lines[0].amount 1000.00, rebuilt 999.99"]


def test_activities_are_compared():
    live, rebuilt = ViewChanges(), ViewChanges()
    live.activities["A1"] = ActivityRow("A1", "amy", "call", Decimal(3), AT, "e1")
    rebuilt.activities["A1"] = ActivityRow("A1", "amy", "email", Decimal(1), AT, "e1")
    assert differences(store(live).snapshot(), store(rebuilt).snapshot()) == [
        "activity A1: live kind call, rebuilt email; live points 3, rebuilt 1"]


def test_a_row_on_one_side_only_reads_as_json_not_as_a_python_repr():
    live = ViewChanges()
    live.milestones["big-deal:D1"] = MilestoneRow("big-deal:D1", "big-deal", "amy", "fired", None, "D1",
                                                  Decimal("25000.00"), AT, "e1")
    assert differences(store(live).snapshot(), store(ViewChanges()).snapshot()) == [
        'milestone big-deal:D1: only live {"key":"big-deal:D1","kind":"big-deal","rep":"amy","status":"fired",'
        '"period":null,"deal_id":"D1","value":"25000.00","at":"2017-05-02T00:00:00+00:00","event_id":"e1"}']


def test_documents_are_compared_without_their_ledger_positions():
    live, moved, other = ViewChanges(), ViewChanges(), ViewChanges()
    live.documents["closed:2017-Q1"] = {"position": 10}
    moved.documents["closed:2017-Q1"] = {"position": 12}  # the same close, recorded in another order
    other.documents["plan:demo:1"] = {"quota": "150000"}
    assert differences(store(live).snapshot(), store(moved).snapshot()) == []
    assert differences(store(live).snapshot(), store(other).snapshot()) == [
        "document closed:2017-Q1: only live {}", 'document plan:demo:1: only rebuilt {"quota":"150000"}']
