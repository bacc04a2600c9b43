"""The real Gateway on a loopback port, a dict-backed reader and an in-memory change feed."""
import asyncio
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from domain.board import RankedRow, Scope, Score, rank
from gateway.server import Gateway
from projections.changefeed import MemoryChangeFeed

BOARD = "board:revenue:2017-Q2:company"
CHANGE = ("board", {"metric": "revenue", "window": "2017-Q2"})


class BoardReader:
    """One board (revenue, 2017-Q2, company) kept in a dict; written from another thread."""

    def __init__(self, reps: list[str]) -> None:
        self.reps = reps
        self.scores: dict[str, Score] = {}
        self.lock = threading.Lock()

    def set(self, rep: str, value: int, tiebreak: str) -> None:
        with self.lock:
            self.scores[rep] = Score(rep, Decimal(value), None, tiebreak)

    def board(self, metric: str, window: str, scope: Scope) -> list[RankedRow]:
        with self.lock:
            return rank(list(self.scores.values()), self.reps)

    def windows(self, metric: str) -> list[str]:
        return ["2017-Q1", "2017-Q2", "all"]

    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None:
        return None

    def milestones(self, scope: Scope) -> list[dict[str, Any]]:
        return []

    def rep_summary(self, rep: str) -> dict[str, Any] | None:
        return None

    def expected(self) -> list[dict[str, Any]]:
        return [{"rank": r.rank, "rep": r.rep, "score": str(r.score)}
                for r in self.board("revenue", "2017-Q2", Scope("company"))]


class BoardClient:
    """Applies snapshot and deltas by the documented rule, refusing any gap."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.epoch, self.offset = "", -1

    def take(self, raw: str | bytes) -> None:
        message = orjson.loads(raw)
        if message["type"] == "snapshot":
            self.rows, self.epoch, self.offset = message["data"], message["epoch"], message["offset"]
            return
        assert (message["type"], message["epoch"], message["prev"]) == ("delta", self.epoch, self.offset)
        removed = set(message["data"].get("removed", []))
        rows = {row["rep"]: row for row in self.rows if row["rep"] not in removed}
        rows.update((row["rep"], row) for row in message["data"].get("rows", []))
        order = message["data"].get("order", list(rows))
        self.rows, self.offset = [rows[rep] for rep in order], message["offset"]

    async def follow_until(self, ws: ClientConnection, expected: list[dict[str, Any]]) -> None:
        while self.rows != expected:
            self.take(await asyncio.wait_for(ws.recv(), 20))


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), 120))


@asynccontextmanager
async def gateway(reader: BoardReader, feed: MemoryChangeFeed, **options: Any) -> AsyncIterator[Gateway]:
    served = Gateway(reader, feed, port=0, tick_s=0.01, **options)
    await served.start()
    try:
        yield served
    finally:
        await served.stop()


def subscribe(resume: BoardClient | None = None) -> bytes:
    request: dict[str, Any] = {"op": "subscribe", "channel": BOARD}
    if resume is not None:
        request["resume"] = {"epoch": resume.epoch, "offset": resume.offset}
    return orjson.dumps(request)


def play(reader: BoardReader, feed: MemoryChangeFeed, moves: int) -> None:
    """Scores that keep overtaking each other, with ties, each change published at once."""
    for n in range(moves):
        reader.set(reader.reps[n % len(reader.reps)], (n * 37) % 11 * 100, f"e{n}")
        feed.publish([CHANGE])


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


async def churn(ws: ClientConnection, names: list[str]) -> list[dict[str, Any]]:
    """Subscribes to each name and leaves it at once; the answers to the subscribes, in order.

    Deltas of a channel held for a moment may come in between; they are skipped."""
    for name in names:
        await ws.send(orjson.dumps({"op": "subscribe", "channel": name}))
        await ws.send(orjson.dumps({"op": "unsubscribe", "channel": name}))
    answers: list[dict[str, Any]] = []
    while len(answers) < len(names):
        message = orjson.loads(await asyncio.wait_for(ws.recv(), 20))
        if message["type"] in ("snapshot", "error"):
            answers.append(message)
    return answers


async def pong(ws: ClientConnection) -> dict[str, Any]:
    """The answer to a ping, skipping deltas on the way."""
    await ws.send(orjson.dumps({"op": "ping"}))
    while True:
        message: dict[str, Any] = orjson.loads(await asyncio.wait_for(ws.recv(), 20))
        if message["type"] != "delta":
            return message


def regions(first: int, count: int) -> list[str]:
    return [f"board:revenue:2017-Q2:region:x{n}" for n in range(first, first + count)]


def test_snapshot_then_deltas_reproduce_the_final_board() -> None:
    reader, feed, client = BoardReader(["Ann", "Bob", "Cy", "Di: West", "Eve"]), MemoryChangeFeed(), BoardClient()

    async def scenario() -> None:
        async with gateway(reader, feed) as served, connect(f"ws://127.0.0.1:{served.port}/ws") as ws:
            await ws.send(subscribe())
            client.take(await ws.recv())
            await asyncio.to_thread(play, reader, feed, 200)
            await client.follow_until(ws, reader.expected())
    run(scenario)
    assert client.rows == reader.expected()


def test_a_reconnecting_client_resumes_with_what_it_missed() -> None:
    reader, feed, client = BoardReader(["Ann", "Bob", "Cy"]), MemoryChangeFeed(), BoardClient()

    async def scenario() -> None:
        async with gateway(reader, feed) as served:
            url = f"ws://127.0.0.1:{served.port}/ws"
            async with connect(url) as ws:
                await ws.send(subscribe())
                client.take(await ws.recv())
            await asyncio.to_thread(play, reader, feed, 30)
            while served.status()["feed_offset"] != feed.last_offset():
                await asyncio.sleep(0.01)
            async with connect(url) as ws:
                await ws.send(subscribe(resume=client))
                await client.follow_until(ws, reader.expected())
    run(scenario)
    assert client.rows == reader.expected()


def test_a_feed_gap_makes_the_gateway_reread_the_board() -> None:
    reader, feed, client = BoardReader(["Ann", "Bob"]), MemoryChangeFeed(retain=2), BoardClient()

    async def scenario() -> None:
        async with gateway(reader, feed) as served, connect(f"ws://127.0.0.1:{served.port}/ws") as ws:
            await ws.send(subscribe())
            client.take(await ws.recv())
            reader.set("Bob", 700, "e1")
            feed.publish([CHANGE] * 5)  # older than the feed retains once the gateway reads
            await client.follow_until(ws, reader.expected())
    run(scenario)
    assert client.rows[0]["rep"] == "Bob"


def test_http_routes_share_the_port() -> None:
    reader, feed = BoardReader(["Ann"]), MemoryChangeFeed()
    feed.publish([CHANGE, CHANGE])

    async def scenario() -> None:
        async with gateway(reader, feed) as served:
            status, body = await asyncio.to_thread(get, served.port, "/healthz")
            assert (status, orjson.loads(body)["feed_offset"]) == (200, feed.last_offset())
            status, body = await asyncio.to_thread(get, served.port, "/api/windows?metric=revenue")
            assert (status, orjson.loads(body)) == (200, reader.windows("revenue"))
            status, body = await asyncio.to_thread(get, served.port, "/")
            assert status == 200 and b"/board.js" in body
    run(scenario)


def test_an_empty_metric_is_a_bad_request_naming_it() -> None:
    async def scenario() -> None:
        async with gateway(BoardReader(["Ann"]), MemoryChangeFeed()) as served:
            status, body = await asyncio.to_thread(get, served.port, "/api/windows?metric=")
            assert (status, orjson.loads(body)) == (400, {"error": "metric '' is not one of revenue, deals, "
                                                                   "activity"})
    run(scenario)


def test_a_client_churning_channels_is_refused_while_others_follow_the_board() -> None:
    reader, feed, client = BoardReader(["Ann", "Bob", "Cy"]), MemoryChangeFeed(), BoardClient()

    async def scenario() -> None:
        async with gateway(reader, feed, channels_per_client=64) as served:
            url = f"ws://127.0.0.1:{served.port}/ws"
            async with connect(url) as watcher, connect(url) as churner:
                await watcher.send(subscribe())
                client.take(await watcher.recv())
                playing = asyncio.create_task(asyncio.to_thread(play, reader, feed, 100))
                answers = await churn(churner, regions(0, 300))
                await playing
                await client.follow_until(watcher, reader.expected())
                assert [a["type"] for a in answers] == ["snapshot"] * 64 + ["error"] * 236
                assert "already holding 64 channels" in answers[-1]["reason"]
                assert await pong(churner) == {"type": "pong"}
            status, body = await asyncio.to_thread(get, served.port, "/healthz")
            assert orjson.loads(body)["channels"] == 65  # the board and the churner's 64 lingering
    run(scenario)


def test_churning_clients_never_grow_the_channels_past_the_gateway_limit() -> None:
    reader, feed = BoardReader(["Ann"]), MemoryChangeFeed()

    async def scenario() -> None:
        async with gateway(reader, feed, max_channels=8) as served:
            url = f"ws://127.0.0.1:{served.port}/ws"
            for first in (0, 10, 20):  # each client's channels push out the oldest lingering ones
                async with connect(url) as ws:
                    assert {a["type"] for a in await churn(ws, regions(first, 10))} == {"snapshot"}
                assert served.status()["channels"] == 8
            async with connect(url) as ws:
                for name in regions(100, 8):
                    await ws.send(orjson.dumps({"op": "subscribe", "channel": name}))
                    assert orjson.loads(await ws.recv())["type"] == "snapshot"
                await ws.send(orjson.dumps({"op": "subscribe", "channel": BOARD}))
                refused = orjson.loads(await ws.recv())
                assert (refused["type"], refused["channel"]) == ("error", BOARD)
                assert "limit of 8 channels" in refused["reason"]
    run(scenario)


def test_a_client_that_stops_reading_is_evicted() -> None:
    reps = [f"Representative {n:04d} of the far western territory" for n in range(2000)]
    reader, feed, stop = BoardReader(reps), MemoryChangeFeed(retain=100), threading.Event()

    def churn() -> None:
        for n in range(1_000_000):
            if stop.is_set():
                return
            for i, rep in enumerate(reps):  # the whole board reverses every round
                reader.set(rep, (i if n % 2 else len(reps) - i) + 1, f"e{n}")
            feed.publish([CHANGE])

    async def scenario() -> None:
        async with gateway(reader, feed, max_buffer=64 * 1024) as served:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", served.port))
            async with connect(f"ws://127.0.0.1:{served.port}/ws", sock=sock, max_queue=1) as ws:
                await ws.send(subscribe())
                writer = asyncio.create_task(asyncio.to_thread(churn))
                while served.status()["evictions"] == 0:
                    await asyncio.sleep(0.05)
                stop.set()
                await writer
                assert served.status()["connections"] == 0
                with pytest.raises(ConnectionClosed):  # reading again, it finds the socket shut
                    while True:
                        await asyncio.wait_for(ws.recv(), 30)
    run(scenario)
