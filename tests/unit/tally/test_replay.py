"""`tally replay` on an embedded state: a rebuild to the views' own position, the lag said
honestly, the exit codes."""
import sqlite3

from tally.pipeline import ingest_once
from tally.projector_lock import ProjectorLock
from tests.unit.tally.states import state, tally


def won(n: int, amount: str = "100.00") -> dict:
    return {"event_id": f"x:{n}:won", "type": "deal.won", "occurred_at": f"2017-05-{n:02d}", "source": "x",
            "deal_id": f"D{n}", "rep_id": "amy", "amount": amount}


def test_views_that_lag_the_ledger_are_said_to_with_how_many_facts_they_miss(tmp_path):
    app = state(tmp_path, won(1), won(2))  # projected: 2 deals, each created + won = 4 records
    other = ProjectorLock(tmp_path)
    assert other.try_acquire()  # a projector that does not run: the next facts are only written
    ingest_once(app, [won(3), won(4), won(5)])
    done = tally(tmp_path, "replay")
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines() == [
        "SQLite views: 3 fact(s) in the ledger not yet projected "
        "(the views are at ledger record 4, the ledger at 10; records count more than facts)",
        "0 difference(s) between the live views and a rebuild from the ledger"]


def test_a_changed_view_is_a_difference_named_by_row_and_field_and_exits_1(tmp_path):
    state(tmp_path, won(1), won(2, "250.00"))
    with sqlite3.connect(tmp_path / "views.db") as db:
        db.execute("UPDATE scores SET score = '999.00' WHERE metric = 'revenue' AND window = '2017-05'")
    done = tally(tmp_path, "replay")
    assert done.exit_code == 1
    assert done.stdout.splitlines() == [
        "score revenue 2017-05 amy: live score 999.00, rebuilt 350.00",
        "1 difference(s) between the live views and a rebuild from the ledger"]


def test_apply_while_another_process_projects_the_state_fails_with_exit_1_naming_it(tmp_path):
    state(tmp_path, won(1))
    other = ProjectorLock(tmp_path)
    assert other.try_acquire()
    done = tally(tmp_path, "replay", "--apply")
    assert done.exit_code == 1
    assert "is projected by pid" in done.output and "stop it first" in done.output


def test_a_state_that_does_not_exist_is_a_usage_error_exit_2(tmp_path):
    done = tally(tmp_path / "nowhere", "replay")
    assert done.exit_code == 2
    assert "no Tally state at" in done.output
