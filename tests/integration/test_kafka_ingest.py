"""The export through a real broker and a real `tally worker` gives the embedded run's numbers.

Each test waits until the broker says the worker's group committed every message, so
nothing is compared while messages are still unread.
"""
import random

import orjson
import pytest

from domain.ledger import Ledger
from projections.sqlite_store import SqliteViewStore
from streams.crm_export import read_export
from tally.plan_files import plan_events
from tally.settings import DEMO_PLAN
from tests.e2e.test_order_and_replay import ledger_size
from tests.helpers import view_dump

EVENTS = 15548  # the demo plan's 2 and the export's 15,546


@pytest.fixture
def expected(clean_run) -> tuple[int, dict]:
    state, _ = clean_run
    return ledger_size(state), view_dump(SqliteViewStore(state / "views.db"))


def test_the_export_published_to_kafka_gives_the_embedded_boards_statements_and_milestones(
        kafka_run, export_dir, expected):
    size, views = expected
    kafka_run.start_worker()
    assert kafka_run.publish(DEMO_PLAN)["published"] == 2  # plan.published + plan.assigned
    assert kafka_run.publish(export_dir)["published"] == EVENTS - 2
    kafka_run.settled(EVENTS)
    assert kafka_run.recorded() == size
    assert kafka_run.views() == views


def test_every_event_published_twice_in_shuffled_order_gives_identical_results(
        kafka_run, export_dir, expected, tmp_path):
    size, views = expected
    plan = plan_events(DEMO_PLAN, Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}))
    events = (plan + read_export(export_dir).events) * 2
    random.Random(5).shuffle(events)
    feed = tmp_path / "twice.jsonl"
    feed.write_bytes(b"\n".join(orjson.dumps(e) for e in events))
    kafka_run.start_worker()
    assert kafka_run.publish(feed)["published"] == 2 * EVENTS
    kafka_run.settled(2 * EVENTS)
    assert kafka_run.redelivered() == EVENTS  # every second copy was seen, and was a no-op
    assert kafka_run.recorded() == size
    assert kafka_run.views() == views


def kill_with_uncommitted_writes(kafka_run, *, total: int) -> int:
    """Kills the worker mid-stream at a moment its ledger holds events whose offsets are not
    committed (the broker is asked, after the kill); returns how many such messages there are,
    which a restarted worker gets again. Tries again from where it stopped if the kill landed
    right after a commit."""
    for _ in range(5):
        start = kafka_run.ledger_head()
        kafka_run.start_worker()
        kafka_run.wait(lambda: kafka_run.ledger_head() > start + 2000, "the worker to write some batches")
        kafka_run.kill_worker()
        assert kafka_run.recorded() < total, "the kill did not land mid-stream"
        recorded = kafka_run.event_ids()
        again = [v for v in kafka_run.uncommitted() if orjson.loads(v)["event_id"] in recorded]
        if again:
            return len(again)
    pytest.fail("five kills in a row landed right after an offset commit")


@pytest.mark.parametrize("worker_settings", ["sqlite", "postgres"], indirect=True)
def test_a_worker_killed_mid_stream_gets_written_events_again_and_counts_nothing_twice(
        kafka_run, export_dir, expected):
    size, views = expected
    kafka_run.publish(DEMO_PLAN)
    kafka_run.publish(export_dir)
    again = kill_with_uncommitted_writes(kafka_run, total=size)
    kafka_run.start_worker()
    kafka_run.settled(EVENTS)
    assert kafka_run.redelivered() == again > 0
    assert kafka_run.recorded() == size
    assert kafka_run.views() == views
