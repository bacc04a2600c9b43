"""Crashes in the distributed mode: a SIGKILLed `tally project`, a Redis that restarts empty."""
import signal
import subprocess
from collections import Counter
from dataclasses import replace

from redis.exceptions import ConnectionError as RedisDown

from projections.changefeed import FeedGap
from projections.sqlite_store import SqliteViewStore
from tally.bootstrap import open_ledger
from tally.distributed import open_stores
from tests.conftest import settings_env
from tests.e2e.conftest import TALLY
from tests.e2e.distributed import ProjectProcess, export_batches, wait_for
from tests.helpers import view_dump


def caught_up(stores, ledger):
    head = ledger.recorder.max_notification_id()
    return lambda: all(s.position() == head for s in stores.projected())


def test_a_projector_killed_mid_stream_resumes_without_double_counting_or_pushing_twice(
        server_settings, export_dir, clean_run, tmp_path):
    """The stores the restarted projector leaves also equal a rebuild from zero (`tally replay`:
    a fresh schema and Redis prefix; Redis boards compared in the order Redis lists them)."""
    ledger, stores = open_ledger(server_settings), open_stores(server_settings)
    project = ProjectProcess(server_settings, tmp_path / "project.log").started()
    batches = export_batches(export_dir)
    for number, batch in enumerate(batches):
        ledger.record(batch)
        if number == len(batches) // 2:
            wait_for(lambda: stores.boards.position() > 0, what="projection progress")
            assert project.stop(signal.SIGKILL) == -signal.SIGKILL
            assert 0 < stores.durable.position() < ledger.recorder.max_notification_id()
            project = ProjectProcess(server_settings, tmp_path / "project.log").started(lanes=4)
    wait_for(caught_up(stores, ledger), what="the stores to reach the ledger head")
    assert project.stop(signal.SIGTERM) == 0

    embedded = SqliteViewStore(clean_run[0] / "views.db")
    assert view_dump(stores.durable) == view_dump(embedded)
    assert view_dump(stores.boards) == view_dump(embedded)
    feed = stores.feed
    pushed = Counter(c.data["key"] for c in feed.read(feed.epoch, 0, 10**6) if c.kind == "milestone")
    assert set(pushed) == {m.key for m in embedded.milestone_rows()}
    assert max(pushed.values()) == 1

    done = subprocess.run([*TALLY, "replay"], env=settings_env(server_settings), capture_output=True,
                          text=True, timeout=300, check=False)
    assert (done.returncode, done.stdout) == (0, "0 difference(s) between the live views and a rebuild from the ledger\n")
    assert done.stderr.count(f"at position {ledger.recorder.max_notification_id()} of") == 2


class FeedReader:
    """A change-feed reader that accepts only consecutive offsets or a FeedGap (then reloads)."""

    def __init__(self, feed) -> None:
        self.feed = feed
        self.epoch, self.after = feed.epoch, 0
        self.reloads = 0
        self.milestones: list[str] = []

    def poll(self) -> None:
        try:
            for change in self.feed.read(self.epoch, self.after, 10**6):
                assert change.offset == self.after + 1, f"silent gap after {self.after}"
                self.after = change.offset
                if change.kind == "milestone":
                    self.milestones.append(change.data["key"])
        except FeedGap:
            self.reloads += 1
            self.epoch, self.after = self.feed.epoch, self.feed.last_offset()
        except RedisDown:
            pass


def test_redis_restarting_empty_mid_stream_rebuilds_the_boards_and_readers_see_a_gap_not_a_hole(
        server_settings, export_dir, clean_run, tmp_path, private_redis):
    settings = replace(server_settings, redis_url=private_redis.url)
    ledger, stores = open_ledger(settings), open_stores(settings)
    project = ProjectProcess(settings, tmp_path / "project.log").started()
    reader = FeedReader(stores.feed)
    batches = export_batches(export_dir)
    for number, batch in enumerate(batches):
        ledger.record(batch)
        reader.poll()
        if number == len(batches) // 2:
            wait_for(lambda: stores.boards.position() > 0, what="projection progress")
            private_redis.restart()
    wait_for(caught_up(stores, ledger), what="the stores to reach the ledger head")
    reader.poll()
    assert project.stop(signal.SIGTERM) == 0

    embedded = view_dump(SqliteViewStore(clean_run[0] / "views.db"))
    assert view_dump(stores.boards) == embedded
    assert view_dump(stores.durable) == embedded
    assert reader.reloads >= 1 and reader.after == stores.feed.last_offset()
    assert len(reader.milestones) == len(set(reader.milestones))
