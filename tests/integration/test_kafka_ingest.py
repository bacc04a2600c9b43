"""The export through a real broker and a real `tally worker` gives the embedded run's numbers."""
import random
import signal

import orjson
import pytest

from projections.sqlite_store import SqliteViewStore
from streams.crm_export import read_export
from tests.e2e.test_order_and_replay import ledger_size
from tally.settings import DEMO_PLAN
from tests.helpers import view_dump


@pytest.fixture
def expected(clean_run) -> tuple[int, dict]:
    state, _ = clean_run
    return ledger_size(state), view_dump(SqliteViewStore(state / "views.db"))



def test_the_export_published_to_kafka_gives_the_embedded_boards_statements_and_milestones(
        run, export_dir, expected):
    size, views = expected
    run.start_worker()
    assert orjson.loads(run.publish(DEMO_PLAN))["published"] == 2  # plan.published + plan.assigned
    assert orjson.loads(run.publish(export_dir))["published"] == 15546
    run.wait(lambda: run.ledger_size() >= size, "the ledger to hold the export")
    assert run.ledger_size() == size
    assert run.project() == views


def test_every_event_published_twice_in_shuffled_order_gives_identical_results(
        run, export_dir, expected, tmp_path):
    size, views = expected
    events = read_export(export_dir).events * 2
    random.Random(5).shuffle(events)
    feed = tmp_path / "twice.jsonl"
    feed.write_bytes(b"\n".join(orjson.dumps(e) for e in events))
    run.start_worker()
    run.publish(DEMO_PLAN)
    run.publish(feed)
    run.wait(lambda: run.ledger_size() >= size, "the ledger to hold the export")
    assert run.project() == views
    assert run.ledger_size() == size


def test_a_worker_killed_mid_stream_and_restarted_loses_nothing_and_counts_nothing_twice(
        run, export_dir, expected):
    size, views = expected
    run.publish(DEMO_PLAN)
    run.publish(export_dir)
    run.start_worker()
    run.wait(lambda: run.ledger_size() > 2000, "the worker to write its first batches")
    run.kill_worker(signal.SIGKILL)
    assert run.ledger_size() < size, "the kill did not land mid-stream"
    run.start_worker()
    run.wait(lambda: run.ledger_size() >= size, "the restarted worker to finish")
    assert run.project() == views
    assert run.ledger_size() == size
