"""Several processes on one embedded state: two writers, a demo serving while `tally ingest`
writes, and a restart after a kill that pushes no milestone twice."""
import asyncio
import fcntl
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from io import StringIO
from pathlib import Path

import orjson
from websockets.asyncio.client import connect

from projections.sqlite_store import SqliteViewStore
from streams.crm_export import read_export
from tally.bootstrap import embedded
from tally.demo import run_demo
from tally.plan_files import plan_events
from tally.settings import Settings
from tests.e2e.conftest import TALLY, run_tally
from tests.helpers import view_dump

ENV = {**os.environ, "TALLY_PORT": "0"}


def export_jsonl(export_dir: Path, path: Path, *, reverse: bool) -> Path:
    """The demo's events (plan, then export) as a JSON-lines file."""
    state = embedded(Settings.from_env(state=str(path.parent / "scratch")))
    events = plan_events(state.settings.plan_file, state.ledger) + read_export(export_dir).events
    path.write_bytes(b"\n".join(orjson.dumps(e) for e in (events[::-1] if reverse else events)) + b"\n")
    return path


def ledger_rows(state: Path) -> int:
    try:
        with sqlite3.connect(f"file:{state / 'ledger.db'}?mode=ro", uri=True) as db:
            return db.execute("SELECT MAX(rowid) FROM stored_events").fetchone()[0] or 0
    except sqlite3.OperationalError:  # not there yet
        return 0


def test_a_tally_ingest_during_the_live_feed_lands_and_both_end_in_the_clean_runs_numbers(
        tmp_path, export_dir, clean_run):
    """Overlap by construction: once the feed has written some, the test takes a writer's
    turn (so the demo is between batches), freezes the demo and runs the whole ingest of the
    same events in reverse; then the demo goes on with a ledger another writer moved, and
    projects both."""
    state, out, err = tmp_path / "state", tmp_path / "stdout", tmp_path / "stderr"
    reversed_file = export_jsonl(export_dir, tmp_path / "reversed.jsonl", reverse=True)
    with out.open("wb") as out_sink, err.open("wb") as err_sink:
        demo = subprocess.Popen([*TALLY, "demo", "--json", "--speed", "2000", "--data", str(export_dir),
                                 "--state", str(state)], env=ENV, stdout=out_sink, stderr=err_sink)
        try:
            deadline = time.monotonic() + 120
            while ledger_rows(state) < 1000:
                assert demo.poll() is None and time.monotonic() < deadline, "the feed made no progress"
                time.sleep(0.05)
            with writer_turn(state):
                demo.send_signal(signal.SIGSTOP)
            try:
                ingested = orjson.loads(run_tally("ingest", str(reversed_file), "--json", state=state))
            finally:
                demo.send_signal(signal.SIGCONT)
            wait_for(err, b"Feed done", demo)
            while SqliteViewStore(state / "views.db").position() < ledger_rows(state):
                assert demo.poll() is None and time.monotonic() < deadline, "the demo stopped projecting"
                time.sleep(0.1)
        finally:
            demo.send_signal(signal.SIGINT)
            demo.wait(timeout=30)
    fed = orjson.loads(out.read_bytes())
    assert fed["events_ingested"] + ingested["events_ingested"] == 15548
    assert fed["events_ingested"] > 0 and ingested["events_ingested"] > 0, "the writers did not overlap"
    assert fed["refused"] == ingested["refused"] == 0
    assert ingested["state"]["projected_by"] == f"pid {demo.pid}"
    assert view_dump(SqliteViewStore(state / "views.db")) == view_dump(SqliteViewStore(clean_run[0] / "views.db"))


@contextmanager
def writer_turn(state: Path) -> Iterator[None]:
    """Holds the state's ledger-writer lock: no other writer is inside a batch meanwhile."""
    fd = os.open(state / "ledger-writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def wait_for(path: Path, pattern: bytes, process: subprocess.Popen, timeout: float = 180) -> re.Match:
    deadline = time.monotonic() + timeout
    while not (found := re.search(pattern, path.read_bytes())):
        assert process.poll() is None, path.read_text()
        assert time.monotonic() < deadline, f"no {pattern!r} in {path.read_text()[-2000:]}"
        time.sleep(0.1)
    return found


async def score_after_ingest(port: int, state: Path, extra: Path, rep: str) -> tuple[str, str, dict]:
    """The rep's revenue in the snapshot, then in the delta that another process's write caused."""
    channel = "board:revenue:all:company"
    async with connect(f"ws://127.0.0.1:{port}/ws") as ws:
        await ws.send(orjson.dumps({"op": "subscribe", "channel": channel}))
        snapshot = orjson.loads(await ws.recv())
        before = next(r["score"] for r in snapshot["data"] if r["rep"] == rep)
        said = orjson.loads(await asyncio.to_thread(run_tally, "ingest", str(extra), "--json", state=state))
        while True:
            delta = orjson.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            rows = {r["rep"]: r["score"] for r in delta["data"].get("rows", [])}
            if rep in rows:
                return before, rows[rep], said


def test_facts_another_process_ingests_reach_the_serving_demos_clients_live(tmp_path, export_dir):
    state, err = tmp_path / "state", tmp_path / "stderr"
    extra = tmp_path / "extra.jsonl"
    extra.write_bytes(orjson.dumps({"event_id": "late:1:won", "type": "deal.won", "occurred_at": "2017-12-30",
                                    "source": "late", "deal_id": "LATE-1", "rep_id": "Darcel Schlecht",
                                    "amount": "1234.56"}) + b"\n")
    with err.open("wb") as sink:
        demo = subprocess.Popen([*TALLY, "demo", "--speed", "0", "--data", str(export_dir), "--state", str(state)],
                                env=ENV, stdout=subprocess.DEVNULL, stderr=sink)
        try:
            port = int(wait_for(err, rb"TV leaderboard: http://127\.0\.0\.1:(\d+)/", demo).group(1))
            wait_for(err, b"Feed done", demo)
            before, after, said = asyncio.run(score_after_ingest(port, state, extra, "Darcel Schlecht"))
        finally:
            demo.send_signal(signal.SIGINT)
            demo.wait(timeout=30)
    assert said["state"]["projected_by"] == f"pid {demo.pid}"
    assert (before, after) == ("1153214.00", "1154448.56")


def test_a_restart_after_a_kill_pushes_no_milestone_that_was_already_held(tmp_path, export_dir, clean_run):
    state = tmp_path / "state"
    demo = subprocess.Popen([*TALLY, "demo", "--speed", "3000", "--data", str(export_dir), "--state", str(state)],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (state / "views.db").exists() or SqliteViewStore(state / "views.db").position() < 6000:
            assert demo.poll() is None and time.monotonic() < deadline, "the demo made no progress"
            time.sleep(0.05)
    finally:
        demo.send_signal(signal.SIGKILL)
        demo.wait()
    held = {m.key for m in SqliteViewStore(state / "views.db").milestone_rows()}
    app = embedded(Settings.from_env(state=str(state)))
    with redirect_stdout(StringIO()):
        run_demo(app, export_dir, once=True, as_json=True, speed=None, seed=7)
    pushed = [c.data["key"] for c in app.feed.read(app.feed.epoch, 0, 10**9) if c.kind == "milestone"]
    final = {m.key for m in SqliteViewStore(clean_run[0] / "views.db").milestone_rows()}
    assert held and len(pushed) == len(set(pushed))
    assert not held & set(pushed)
    assert held | set(pushed) == final


def test_tally_project_is_the_projector_of_an_embedded_state_that_other_processes_write(tmp_path):
    """A writer that does not project (here `tally ingest` while `tally project` holds the
    lock; in production a `tally worker` on the SQLite ledger) has its facts projected."""
    state, err = tmp_path / "state", tmp_path / "stderr"
    extra = tmp_path / "extra.jsonl"
    extra.write_bytes(b"".join(orjson.dumps({
        "event_id": f"p:{n}:won", "type": "deal.won", "occurred_at": f"2017-05-0{n}", "source": "p",
        "deal_id": f"P-{n}", "rep_id": "amy", "amount": f"{n}00.00"}) + b"\n" for n in (1, 2, 3)))
    with err.open("wb") as sink:
        project = subprocess.Popen([*TALLY, "project", "--state", str(state)], env={**ENV, "TALLY_POLL_MS": "50"},
                                   stdout=subprocess.DEVNULL, stderr=sink)
        try:
            wait_for(err, b"SqliteViewStore: following the ledger from 0", project)
            said = orjson.loads(run_tally("ingest", str(extra), "--json", state=state))
            deadline = time.monotonic() + 60
            while SqliteViewStore(state / "views.db").position() < ledger_rows(state):
                assert project.poll() is None and time.monotonic() < deadline, err.read_text()
                time.sleep(0.05)
        finally:
            project.send_signal(signal.SIGTERM)
            project.wait(timeout=30)
    assert said["state"]["projected_by"] == f"pid {project.pid}"
    assert project.returncode == 0
    board = orjson.loads(run_tally("board", "revenue", "--window", "2017-05", "--json", state=state))
    assert board == [{"rank": 1, "rep": "amy", "score": "600.00"}]


def test_replay_beside_a_live_demo_compares_one_instant_and_finds_no_difference(tmp_path, export_dir):
    """The demo projects every 200 ms while the replay reads; the replay rebuilds to the
    position of the snapshot it took, so the views moving on is no difference."""
    state, err = tmp_path / "state", tmp_path / "stderr"
    with err.open("wb") as sink:
        demo = subprocess.Popen([*TALLY, "demo", "--speed", "1000", "--data", str(export_dir), "--state", str(state)],
                                env=ENV, stdout=subprocess.DEVNULL, stderr=sink)
        try:
            deadline = time.monotonic() + 120
            while not (state / "views.db").exists() or SqliteViewStore(state / "views.db").position() < 2000:
                assert demo.poll() is None and time.monotonic() < deadline, "the demo made no progress"
                time.sleep(0.05)
            done = subprocess.run([*TALLY, "replay", "--state", str(state)], capture_output=True, env=ENV,
                                  timeout=300, check=False)
            moving = demo.poll() is None and b"Feed done" not in err.read_bytes()
        finally:
            demo.send_signal(signal.SIGINT)
            demo.wait(timeout=30)
    assert moving, "the feed ended before the replay did: nothing moved beside it"
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert done.stdout.decode().splitlines()[-1] == "0 difference(s) between the live views and a rebuild from the ledger"
