"""`tally demo` as a new user meets it: no export at hand, the JSON summary, the progress bar."""
import os
import signal
import subprocess
import time

import orjson

from tests.e2e.conftest import TALLY


def test_without_the_export_the_demo_says_where_it_comes_from_and_runs_the_synthetic_feed(tmp_path):
    done = subprocess.run([*TALLY, "demo", "--once", "--json", "--state", str(tmp_path / "state")],
                          cwd=tmp_path, capture_output=True, timeout=300, check=False)  # no export beside it
    assert done.returncode == 0, done.stderr.decode()
    said = done.stderr.decode()
    assert "No CRM export at ../shared/data/crm-sales-opportunities" in said
    assert "'CRM Sales Opportunities' from the Maven Analytics Data Playground" in said
    assert "seeded synthetic feed (seed 7)" in said
    summary = orjson.loads(done.stdout)
    assert summary["source"] == "synthetic"
    assert summary["events_read"] == summary["events_ingested"] > 1000
    assert (summary["duplicates"], summary["refused"], summary["dead_letters"]) == (0, 0, 0)
    assert summary["deals_won"] > 0 and summary["won_revenue"].endswith(".00")


def test_elapsed_s_is_a_non_negative_number_of_seconds(clean_run):
    elapsed = clean_run[1]["elapsed_s"]
    assert isinstance(elapsed, int | float) and not isinstance(elapsed, bool) and elapsed >= 0


def test_the_live_demo_shows_a_progress_bar_on_stderr(tmp_path, export_dir):
    err = tmp_path / "stderr"
    with err.open("wb") as sink:
        demo = subprocess.Popen([*TALLY, "demo", "--speed", "400", "--data", str(export_dir),
                                 "--state", str(tmp_path / "state")], env={**os.environ, "TALLY_PORT": "0"},
                                stdout=subprocess.DEVNULL, stderr=sink)
        try:
            deadline = time.monotonic() + 120
            while b"ev/s]" not in err.read_bytes():
                assert demo.poll() is None, err.read_text()
                assert time.monotonic() < deadline, "no progress bar"
                time.sleep(0.2)
        finally:
            demo.send_signal(signal.SIGINT)
            demo.wait(timeout=30)
    said = err.read_text()
    assert "TV leaderboard: http://127.0.0.1:" in said
    assert "ingest:" in said and "/15548 [" in said
