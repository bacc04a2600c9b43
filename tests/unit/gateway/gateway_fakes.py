"""A dict-backed ScoreReader and a client that applies the wire protocol as documented."""
import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import orjson

from domain.board import RankedRow, Scope, Score, rank

T0 = datetime(2017, 4, 3, 9, 0, tzinfo=timezone.utc)


class FakeReader:
    """Scores per (metric, window) and rep; boards ranked by the domain's own rules."""

    def __init__(self) -> None:
        self.teams: dict[str, tuple[str | None, str | None]] = {}
        self.scores: dict[tuple[str, str], dict[str, Score]] = {}
        self.milestone_rows: list[dict[str, Any]] = []
        self.summaries: dict[str, dict[str, Any]] = {}
        self.reads = 0  # views read: boards, milestones, rep summaries
        self.down: Exception | None = None  # raised by every read while set
        self._lock = threading.Lock()

    def hire(self, rep: str, *, region: str | None = None, manager: str | None = None) -> None:
        with self._lock:
            self.teams[rep] = (region, manager)

    def score(self, metric: str, window: str, rep: str, value: str, minute: int = 0) -> None:
        with self._lock:
            at = T0 + timedelta(minutes=minute)
            self.scores.setdefault((metric, window), {})[rep] = Score(rep, Decimal(value), at, f"e{minute}")

    def _read(self, *, view: bool = True) -> None:
        if self.down is not None:
            raise self.down
        self.reads += view

    def board(self, metric: str, window: str, scope: Scope) -> list[RankedRow]:
        with self._lock:
            self._read()
            reps = self._reps(scope)
            scores = [s for rep, s in self.scores.get((metric, window), {}).items() if rep in reps]
            return rank(scores, reps)

    def reps(self, scope: Scope) -> list[str]:
        with self._lock:
            self._read(view=False)
            return sorted(self._reps(scope))

    def _reps(self, scope: Scope) -> list[str]:
        return [rep for rep, (region, manager) in self.teams.items() if scope.holds(region, manager)]

    def windows(self, metric: str) -> list[str]:
        with self._lock:
            self._read(view=False)
            return sorted(window for m, window in self.scores if m == metric)

    def statement(self, rep: str, quarter: str) -> dict[str, Any] | None:
        return None

    def milestones(self, scope: Scope) -> list[dict[str, Any]]:
        with self._lock:
            self._read()
            return [dict(m) for m in self.milestone_rows if scope.holds(m["region"], m["manager"])]

    def rep_summary(self, rep: str) -> dict[str, Any] | None:
        with self._lock:
            self._read()
            return self.summaries.get(rep)


def expected_board(reader: FakeReader, metric: str, window: str, scope: str) -> list[dict[str, Any]]:
    """What a board channel must show, built from the reader without the gateway's code."""
    return [{"rank": r.rank, "rep": r.rep, "score": str(r.score)}
            for r in reader.board(metric, window, Scope.parse(scope))]


class Client:
    """Holds one channel's view the way a browser does: snapshot, then deltas in order."""

    def __init__(self, key: str = "rep") -> None:
        self.key = key
        self.view: Any = None
        self.epoch: str | None = None
        self.offset: int | None = None

    def take(self, raw: bytes | str) -> dict[str, Any]:
        message: dict[str, Any] = orjson.loads(raw)
        if message["type"] == "snapshot":
            self.view, self.epoch, self.offset = message["data"], message["epoch"], message["offset"]
        elif message["type"] == "delta":
            if (message["epoch"], message["prev"]) != (self.epoch, self.offset):
                raise AssertionError(f"gap: at {self.offset}, delta continues from {message['prev']}")
            self.view = self.apply(message["data"])
            self.offset = message["offset"]
        return message

    def apply(self, data: Any) -> Any:
        if not isinstance(self.view, list):
            return data
        rows = [row for row in self.view if row[self.key] not in set(data.get("removed", []))]
        position = {row[self.key]: i for i, row in enumerate(rows)}
        for row in data.get("rows", []):
            if row[self.key] in position:
                rows[position[row[self.key]]] = row
            else:
                rows.append(row)
        if "order" in data:
            by_key = {row[self.key]: row for row in rows}
            rows = [by_key[k] for k in data["order"]]
        return rows
