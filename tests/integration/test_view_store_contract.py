"""One suite, every view store: the in-memory reference, SQLite, PostgreSQL and Redis must agree.

Every test here runs on every store: a new store joins by adding a parameter to `store`.
"""
import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from projections.memory_store import MemoryViewStore
from projections.postgres_store import PostgresViewStore
from projections.redis_store import RedisViewStore
from projections.sqlite_store import SqliteViewStore
from projections.views import (ActivityRow, CreditRow, MilestoneRow, RepRow, ScoreRow,
                               ViewChanges)
from tally.servers import postgres_datastore, schema_turn

AT = datetime(2017, 5, 2, tzinfo=timezone.utc)


@pytest.fixture(params=["memory", "sqlite", "postgres", "redis"])
def store(request, tmp_path):
    """Server stores ask for their fixtures only when used, so each gets its own namespace."""
    if request.param == "memory":
        return MemoryViewStore()
    if request.param == "sqlite":
        return SqliteViewStore(tmp_path / "views.db")
    if request.param == "redis":
        return RedisViewStore(request.getfixturevalue("redis_client"), prefix=request.getfixturevalue("redis_prefix"))
    settings = request.getfixturevalue("server_settings")
    with schema_turn(settings):
        return PostgresViewStore(postgres_datastore(settings))


def sample() -> ViewChanges:
    c = ViewChanges()
    c.credits["D1"] = [CreditRow("D1", "amy", Decimal("600.005"), Decimal("1000.01"), AT, "e1", 7, "crm"),
                       CreditRow("D1", "bo", Decimal("400.005"), Decimal("1000.01"), AT, "e1", 7, "crm"),
                       CreditRow("D1", "cy", Decimal("100.00"), Decimal("1000.01"), AT, "e1", 7, "crm",
                                 "overlay")]
    c.activities["A1"] = ActivityRow("A1", "amy", "call", Decimal(3), AT, "e2")
    c.reps["amy"] = RepRow("amy", "Cy", "West")
    c.scores[("revenue", "2017-Q2", "amy")] = ScoreRow("revenue", "2017-Q2", "amy", Decimal("600.005"), AT, "e1")
    c.scores[("revenue", "all", "amy")] = ScoreRow("revenue", "all", "amy", Decimal("600.005"), AT, "e1")
    c.statements[("amy", "2017-Q2")] = {"total": "48.00", "lines": [{"deal": "D1"}]}
    c.milestones["big-deal:D1"] = MilestoneRow("big-deal:D1", "big-deal", "amy", "fired", None, "D1",
                                               Decimal("1000.01"), AT, "e1")
    c.documents["plan:demo:1"] = {"quota": "150000", "tiers": [["0", "0.08"]]}
    return c


def test_an_empty_store_is_at_position_zero_with_nothing_in_it(store):
    ws = store.working_set()
    assert store.position() == 0
    assert (ws.credits, ws.activities, ws.reps, ws.milestones, ws.documents) == ([], [], [], [], {})
    assert store.won_totals() == (0, Decimal(0))


def test_committed_rows_and_position_read_back_exactly(store):
    changes = sample()
    store.commit(changes, 42)
    ws = store.working_set()
    assert store.position() == 42
    assert sorted(ws.credits, key=lambda r: r.rep) == changes.credits["D1"]
    assert ws.activities == [changes.activities["A1"]]
    assert ws.reps == [RepRow("amy", "Cy", "West")]
    assert ws.milestones == list(changes.milestones.values())
    assert ws.documents == {"plan:demo:1": {"quota": "150000", "tiers": [["0", "0.08"]]}}
    assert store.score_rows("revenue", "2017-Q2") == [changes.scores[("revenue", "2017-Q2", "amy")]]
    assert store.score_windows("revenue") == ["2017-Q2", "all"]
    assert store.statement("amy", "2017-Q2") == {"total": "48.00", "lines": [{"deal": "D1"}]}
    assert store.statement_totals("amy") == {"2017-Q2": "48.00"}
    assert store.won_totals() == (1, Decimal("1000.01"))  # a deal counts once, overlays or not
    assert len(store.rep_scores("amy")) == 2


def test_none_and_empty_values_delete_rows(store):
    store.commit(sample(), 1)
    gone = ViewChanges()
    gone.credits["D1"] = []
    gone.scores[("revenue", "2017-Q2", "amy")] = None
    gone.statements[("amy", "2017-Q2")] = None
    gone.documents["plan:demo:1"] = None
    gone.milestones["big-deal:D1"] = None
    store.commit(gone, 2)
    assert store.milestone_rows() == []
    assert store.working_set().documents == {}
    assert store.working_set().credits == []
    assert store.score_rows("revenue", "2017-Q2") == []
    assert store.statement("amy", "2017-Q2") is None
    assert store.position() == 2


def test_rewriting_a_row_replaces_it(store):
    store.commit(sample(), 1)
    again = ViewChanges()
    again.scores[("revenue", "all", "amy")] = ScoreRow("revenue", "all", "amy", Decimal(7), AT, "e9")
    store.commit(again, 5)
    assert store.score_rows("revenue", "all") == [ScoreRow("revenue", "all", "amy", Decimal(7), AT, "e9")]


def test_score_rows_come_back_in_board_order(store):
    """Higher score first; among equals who reached it first (time, then event id), then name."""
    changes = ViewChanges()
    for rep, score, at, event in [("amy", "50", AT, "e2"), ("bo", "70", AT, "e9"), ("cy", "50", AT, "e10"),
                                  ("di", "50", AT - timedelta(seconds=1), "e5"), ("ed", "50", AT, "e2"),
                                  ("fay", "12345678901.23", AT, "e1"), ("gus", "0", AT, "e0")]:
        changes.scores[("revenue", "all", rep)] = ScoreRow("revenue", "all", rep, Decimal(score), at, event)
    store.commit(changes, 1)
    assert [r.rep for r in store.score_rows("revenue", "all")] == ["fay", "bo", "di", "cy", "amy", "ed", "gus"]



def test_a_snapshot_holds_every_row_and_the_position(store):
    changes = sample()
    changes.statements[("amy", "2017-Q4")] = {"total": "1000.00", "lines": [{"kind": "minimum"}]}  # no scores there
    store.commit(changes, 42)
    snap = store.snapshot()
    assert snap.position == 42
    assert snap.boards == {("revenue", "2017-Q2"): [changes.scores[("revenue", "2017-Q2", "amy")]],
                           ("revenue", "all"): [changes.scores[("revenue", "all", "amy")]]}
    assert snap.statements == {("amy", "2017-Q2"): {"total": "48.00", "lines": [{"deal": "D1"}]},
                               ("amy", "2017-Q4"): {"total": "1000.00", "lines": [{"kind": "minimum"}]}}
    assert sorted(snap.working.credits, key=lambda r: r.rep) == changes.credits["D1"]
    assert (snap.working.activities, snap.working.reps) == ([changes.activities["A1"]], [RepRow("amy", "Cy", "West")])
    assert snap.working.milestones == list(changes.milestones.values())
    assert snap.working.documents == {"plan:demo:1": {"quota": "150000", "tiers": [["0", "0.08"]]}}


def test_a_snapshot_is_what_one_commit_left_while_a_projector_keeps_committing(store):
    """Commit p holds reps r1..rp, each with a score and a statement: a snapshot at position
    p must hold exactly p of each, however the reads fall between the commits."""
    def committing() -> None:
        for p in range(1, 151):
            changes = ViewChanges()
            changes.scores[("deals", "all", f"r{p}")] = ScoreRow("deals", "all", f"r{p}", Decimal(p), AT, f"e{p}")
            changes.statements[(f"r{p}", "2017-Q2")] = {"total": f"{p}.00", "lines": []}
            store.commit(changes, p)

    projector = threading.Thread(target=committing)
    projector.start()
    seen = set()
    while projector.is_alive() or not seen:
        snap = store.snapshot()
        seen.add(snap.position)
        assert len(snap.boards.get(("deals", "all"), [])) == len(snap.statements) == snap.position
    projector.join()
    assert store.snapshot().position == 150
