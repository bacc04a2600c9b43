"""The audit diff: boards are compared in the order each store lists them."""
from datetime import datetime, timezone
from decimal import Decimal

from projections.audit import differences
from projections.memory_store import MemoryViewStore
from projections.views import ScoreRow, ViewChanges

AT = datetime(2017, 5, 2, tzinfo=timezone.utc)


class UpsideDown(MemoryViewStore):
    """A store that holds the right scores but lists its boards bottom up."""

    def score_rows(self, metric: str, window: str) -> list[ScoreRow]:
        return super().score_rows(metric, window)[::-1]


def two_reps() -> ViewChanges:
    changes = ViewChanges()
    for rep, score in (("amy", "10"), ("bo", "20")):
        changes.scores[("deals", "all", rep)] = ScoreRow("deals", "all", rep, Decimal(score), AT, f"e-{rep}")
    return changes


def test_a_board_listed_in_another_order_differs_even_when_every_score_agrees():
    live, rebuilt = UpsideDown(), MemoryViewStore()
    live.commit(two_reps(), 1)
    rebuilt.commit(two_reps(), 1)
    assert differences(live, rebuilt) == [
        "boards ('deals', 'all'): live ['amy', 'bo'] != rebuilt ['bo', 'amy']"]


def test_two_stores_with_the_same_rows_have_no_differences():
    live, rebuilt = MemoryViewStore(), MemoryViewStore()
    live.commit(two_reps(), 1)
    rebuilt.commit(two_reps(), 7)
    assert differences(live, rebuilt) == []
