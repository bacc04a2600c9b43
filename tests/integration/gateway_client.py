"""A real Gateway on a loopback port over a dict-backed reader and an in-memory change feed:
the reader, a client that applies the wire protocol, and HTTP and asyncio helpers."""
import asyncio
import threading
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection

from domain.board import RankedRow, Scope, Score, rank
from gateway.server import Gateway
from projections.changefeed import MemoryChangeFeed
from tests.helpers import Outage

BOARD = "board:revenue:2017-Q2:company"
CHANGE = ("board", {"metric": "revenue", "window": "2017-Q2"})


class BoardReader:
    """One board (revenue, 2017-Q2, company) kept in a dict; written from another thread."""

    def __init__(self, reps: list[str]) -> None:
        self.team = reps
        self.scores: dict[str, Score] = {}
        self.lock = threading.Lock()
        self.down = False  # every read raises Outage while set

    def _reach(self) -> None:
        if self.down:
            raise Outage("Connection refused")

    def set(self, rep: str, value: int, tiebreak: str) -> None:
        with self.lock:
            self.scores[rep] = Score(rep, Decimal(value), None, tiebreak)

    def board(self, metric: str, window: str, scope: Scope) -> list[RankedRow]:
        self._reach()
        with self.lock:
            return rank(list(self.scores.values()), self.team)

    def reps(self, scope: Scope) -> list[str]:
        self._reach()
        return self.team  # one board served under any scope: every region and manager exists

    def windows(self, metric: str) -> list[str]:
        self._reach()
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
        reader.set(reader.team[n % len(reader.team)], (n * 37) % 11 * 100, f"e{n}")
        feed.publish([CHANGE])


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
