"""One projector per state: an OS file lock that a killed holder never keeps."""
import os
import signal
import subprocess
import sys

from tally.bootstrap import embedded
from tally.pipeline import hand_back, ingest_once
from tally.projector_lock import ProjectorLock
from tally.settings import Settings


def won(n: int) -> dict:
    return {"event_id": f"x:{n}:won", "type": "deal.won", "occurred_at": "2017-05-01", "source": "x",
            "deal_id": f"D{n}", "rep_id": "amy", "amount": "10.00"}


def test_a_second_holder_is_refused_and_told_who_holds_the_lock(tmp_path):
    first, second = ProjectorLock(tmp_path), ProjectorLock(tmp_path)
    assert first.try_acquire()
    assert not second.try_acquire()
    assert second.holder() == f"pid {os.getpid()}"
    first.release()
    assert second.try_acquire()


def test_a_killed_holder_leaves_the_lock_free(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from tally.projector_lock import "
         "ProjectorLock; assert ProjectorLock(Path(sys.argv[1])).try_acquire(); print('held', flush=True); "
         "time.sleep(60)", str(tmp_path)], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    assert not ProjectorLock(tmp_path).try_acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert ProjectorLock(tmp_path).try_acquire()


def test_facts_written_by_a_process_without_the_lock_are_projected_by_the_holder(tmp_path):
    settings = Settings.from_env(state=str(tmp_path))
    holder, writer = embedded(settings), embedded(settings)
    projector = holder.projector()
    assert projector is not None and writer.projector() is None
    report = ingest_once(writer, [won(1), won(2)])
    assert (report.events_ingested, report.projector) == (2, f"pid {os.getpid()}")
    assert writer.reader.won_totals()[0] == 0  # written, not projected yet
    assert hand_back(holder, projector) is None
    assert str(writer.reader.won_totals()[1]) == "20.00"
    assert writer.projector() is not None  # the lock was let go
