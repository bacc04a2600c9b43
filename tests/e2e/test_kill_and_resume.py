"""A demo killed with SIGKILL mid-ingest, then run again, ends in the clean run's numbers."""
import os
import signal
import subprocess
import time

from projections.sqlite_store import SqliteViewStore
from tests.e2e.conftest import TALLY, run_tally
from tests.e2e.test_order_and_replay import ledger_size
from tests.helpers import view_dump


def test_killing_the_live_demo_mid_ingest_then_running_again_gives_the_clean_numbers(
        tmp_path, export_dir, clean_run):
    state = tmp_path / "state"
    demo = subprocess.Popen([*TALLY, "demo", "--speed", "3000", "--data", str(export_dir),
                             "--state", str(state)], env={**os.environ, "TALLY_PORT": "0"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (state / "views.db").exists() or SqliteViewStore(state / "views.db").position() < 3000:
            assert demo.poll() is None, "the demo stopped by itself"
            assert time.monotonic() < deadline, "the demo made no progress"
            time.sleep(0.05)
    finally:
        demo.send_signal(signal.SIGKILL)
        demo.wait()
    recorded = ledger_size(state)
    assert 0 < recorded < ledger_size(clean_run[0]), "the kill did not land mid-ingest"

    summary = run_tally("demo", "--once", "--json", "--data", str(export_dir), state=state)
    assert b'"deals_won":4238' in summary
    assert view_dump(SqliteViewStore(state / "views.db")) == view_dump(SqliteViewStore(clean_run[0] / "views.db"))
