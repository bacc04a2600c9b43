"""`tally serve` (a real process) over a private Redis that goes away for seconds and comes
back empty, while a websocket client follows a board: the process stays up, says it is
degraded meanwhile, and the client gets every delta in order or a fresh snapshot, ending on
exactly the board `tally board --json` prints."""
import asyncio
import re
import signal
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect

from tally.bootstrap import open_ledger
from tally.distributed import open_stores
from tally.settings import Settings
from tests.conftest import settings_env
from tests.e2e.conftest import TALLY
from tests.e2e.distributed import ProjectProcess, export_batches, wait_for
from tests.integration.gateway_client import BoardClient, get

CHANNEL = "board:revenue:2017:region:West"


class ServeProcess:
    """`tally serve` on a free port, its output in `log`."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.log = log
        self._log_file = log.open("ab")
        self.proc = subprocess.Popen([*TALLY, "serve"], env={**settings_env(settings), "TALLY_PORT": "0"},
                                     stdout=self._log_file, stderr=self._log_file)
        deadline = time.monotonic() + 30
        while not (found := re.search(r"gateway: http://127\.0\.0\.1:(\d+)/", log.read_text())):
            assert self.proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "tally serve did not start"
            time.sleep(0.05)
        self.port = int(found[1])

    def health(self) -> tuple[int, dict[str, Any]]:
        status, body = get(self.port, "/healthz")
        return status, orjson.loads(body)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=30)
        self._log_file.close()
        return code


def final_board(settings: Settings) -> list[dict[str, Any]]:
    done = subprocess.run([*TALLY, "board", "revenue", "--window", "2017", "--scope", "region:West", "--json"],
                          env=settings_env(settings), capture_output=True, check=True, timeout=60)
    return orjson.loads(done.stdout)  # type: ignore[no-any-return]


async def follow(ws: ClientConnection, client: BoardClient, epochs: list[str]) -> None:
    """Applies every message (BoardClient refuses a delta that skips one); notes each epoch."""
    while True:
        client.take(await ws.recv())
        if client.epoch not in epochs:
            epochs.append(client.epoch)


def test_tally_serve_survives_redis_going_away_and_coming_back_empty(
        server_settings, export_dir, tmp_path, private_redis):
    settings = replace(server_settings, redis_url=private_redis.url)
    ledger, stores = open_ledger(settings), open_stores(settings)
    project = ProjectProcess(settings, tmp_path / "project.log").started()
    batches = export_batches(export_dir)
    head = lambda: ledger.recorder.max_notification_id()  # noqa: E731
    for batch in batches[:len(batches) // 2]:
        ledger.record(batch)
    wait_for(lambda: stores.boards.position() == head(), what="the boards to reach the ledger head")
    serve = ServeProcess(settings, tmp_path / "serve.log")
    client, epochs = BoardClient(), []

    async def scenario() -> None:
        async with connect(f"ws://127.0.0.1:{serve.port}/ws") as ws:
            await ws.send(orjson.dumps({"op": "subscribe", "channel": CHANNEL}))
            following = asyncio.create_task(follow(ws, client, epochs))
            for batch in batches[len(batches) // 2:len(batches) * 3 // 4]:  # live deltas
                await asyncio.to_thread(ledger.record, batch)
            await asyncio.to_thread(private_redis.stop)
            for batch in batches[len(batches) * 3 // 4:]:  # the ledger (PostgreSQL) goes on
                await asyncio.to_thread(ledger.record, batch)
            await asyncio.sleep(3)
            assert serve.proc.poll() is None, serve.log.read_text()
            status, body = await asyncio.to_thread(serve.health)
            assert (status, body["status"]) == (503, "degraded")
            await asyncio.to_thread(private_redis.start)  # empty: tally project rebuilds silently
            await asyncio.to_thread(wait_for, lambda: stores.boards.position() == head(), 120,
                                    "the rebuilt boards to reach the ledger head")
            expected = await asyncio.to_thread(final_board, settings)
            deadline = time.monotonic() + 30
            while client.rows != expected:
                assert not following.done(), following.exception()
                assert time.monotonic() < deadline, "the client never caught up with the final board"
                await asyncio.sleep(0.1)
            following.cancel()

    asyncio.run(scenario())
    status, body = serve.health()
    assert (status, body["status"]) == (200, "ok")
    assert len(epochs) == 2  # a fresh snapshot under a new epoch once Redis came back empty
    assert serve.stop() == 0
    assert project.stop(signal.SIGTERM) == 0


def test_tally_serve_counts_a_redis_that_hangs_as_an_outage_and_keeps_answering(
        server_settings, tmp_path, private_redis):
    settings = replace(server_settings, redis_url=private_redis.url)
    serve = ServeProcess(settings, tmp_path / "serve.log")
    try:
        assert serve.health()[0] == 200
        private_redis.pause()  # the feed read of the next tick hangs, and with it the event loop
        # each /healthz below must be answered within get()'s 10 s: with a 30 s timeout and
        # redis-py's 10 retries, the tick blocked the loop for minutes and this get timed out
        wait_for(lambda: serve.health()[1]["status"] == "degraded", 30, "/healthz to say degraded")
        assert "TimeoutError" in serve.health()[1]["outage"]
        private_redis.resume()
        wait_for(lambda: serve.health()[1]["status"] == "ok", 30, "/healthz to say ok once Redis answers again")
    except BaseException:
        serve.proc.kill()  # not left behind by a failing test
        raise
    finally:
        private_redis.resume()
    assert serve.stop() == 0
