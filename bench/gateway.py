"""Event to websocket client latency, at a paced ingest rate with many connected clients.

    python bench/gateway.py [--rate R] [--clients N] [--seconds D] [--port P]

This process is the live demo's server: an embedded state in a temp dir, R activity.logged
events/s fed for D seconds through `tally.pipeline.ingest` (door -> ledger), the projector
following the ledger every `tally.live.POLL_S` (views + change feed), the gateway of
`tally.serve.build_gateway` pushing board deltas. A second process holds N websocket clients
in one asyncio loop, all on the company activity board. Event i goes to rep i % REPS and is
that rep's (i // REPS + 1)-th call, so a client knows it has seen event i when that rep's
score reaches that many calls' points; it never trusts server internals for it.

Latency per (client, event) = the wall time a client first sees the event's effect - the
wall time ingest handed its batch to the ledger writer. Prints the percentiles, the pairs
never seen, the stages on the server side, and the settings that bound the figure.
"""
import sys
from pathlib import Path

if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]  # this file's name would shadow the gateway package

import argparse  # noqa: E402
import asyncio  # noqa: E402
import dataclasses  # noqa: E402
import multiprocessing  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from array import array  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from datetime import datetime, timedelta, timezone  # noqa: E402
from decimal import Decimal  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402
from typing import Any  # noqa: E402

import orjson  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

from domain.facts import Fact  # noqa: E402
from projections.projector import Projector  # noqa: E402
from streams.writer_turns import FactWriter  # noqa: E402
from tally.bootstrap import embedded  # noqa: E402
from tally.live import POLL_S  # noqa: E402
from tally.pipeline import ingest  # noqa: E402
from tally.serve import build_gateway  # noqa: E402
from tally.settings import Settings  # noqa: E402

REPS = 4
KIND = "call"
CHANNEL = "board:activity:all:company"
SETTLE_S = 10.0  # how long clients may take to see the last event once it is projected
BUCKET = 10_000  # histogram buckets per second: 0.1 ms


@dataclasses.dataclass
class Batch:
    size: int
    handed: float  # ingest called the ledger writer
    recorded: float  # the writer returned
    head: int  # the ledger's notification id after it


@dataclasses.dataclass
class StampedWriter:
    """The pipeline's own writer, timing each batch it is handed."""

    writer: FactWriter
    head: Callable[[], int]
    batches: list[Batch]

    def record(self, facts: Sequence[Fact], refuse: Any = None) -> int:
        handed = time.time()
        new = self.writer.record(facts, refuse)
        self.batches.append(Batch(len(facts), handed, time.time(), self.head()))
        return new


def activities(count: int) -> list[dict[str, Any]]:
    start = datetime(2026, 1, 5, tzinfo=timezone.utc)
    return [{"event_id": f"bench:{i}", "type": "activity.logged", "source": "bench", "kind": KIND,
             "occurred_at": (start + timedelta(seconds=i)).isoformat(), "activity_id": f"B{i}",
             "rep_id": f"bench-rep-{i % REPS}"} for i in range(count)]


def percentiles(hist: Counter[int], qs: Sequence[float]) -> list[float]:
    """Nearest-rank percentiles (and the max) in ms of a histogram of BUCKET-ths of a second."""
    total, keys = sum(hist.values()), sorted(hist)
    out, seen, at = [], 0, 0
    for q in qs:
        rank = max(1, -(-total * q // 100))
        while seen + hist[keys[at]] < rank:
            seen += hist[keys[at]]
            at += 1
        out.append(keys[at] * 1000 / BUCKET)
    return out + [keys[-1] * 1000 / BUCKET]


# --- the client process -----------------------------------------------------------------

class Client:
    """One websocket client: when each rep's score first reached each value, and any gap."""

    def __init__(self, points: Decimal, events: int) -> None:
        self.points, self.final = points, [len(range(r, events, REPS)) for r in range(REPS)]
        self.best, self.offset, self.gaps, self.done = [0] * REPS, 0, 0, False
        self.seen = [(array("d"), array("l")) for _ in range(REPS)]

    def receive(self, raw: str | bytes, at: float) -> None:
        message = orjson.loads(raw)
        if message["type"] == "delta" and message["prev"] != self.offset:
            self.gaps += 1
        self.offset = message.get("offset", self.offset)
        rows = message["data"] if message["type"] == "snapshot" else message["data"].get("rows", [])
        for row in rows:
            r = int(row["rep"].rsplit("-", 1)[1])
            calls = int(Decimal(row["score"]) / self.points)
            if calls > self.best[r]:
                self.best[r] = calls
                self.seen[r][0].append(at)
                self.seen[r][1].append(calls)
        self.done = self.best == self.final


async def listen(port: int, client: Client, ready: asyncio.Semaphore, sockets: list[ClientConnection]) -> None:
    async with ready:
        ws = await connect(f"ws://127.0.0.1:{port}/ws", ping_interval=None, open_timeout=60)
        await ws.send(orjson.dumps({"op": "subscribe", "channel": CHANNEL}).decode())
        client.receive(await ws.recv(), time.time())
    sockets.append(ws)
    async for raw in ws:
        client.receive(raw, time.time())


async def hold_clients(port: int, count: int, points: Decimal, events: int, pipe: Connection) -> list[Client]:
    """Connects, says ready, says when every client saw every event, and stops when told."""
    clients = [Client(points, events) for _ in range(count)]
    sockets: list[ClientConnection] = []
    handshakes = asyncio.Semaphore(50)
    tasks = [asyncio.create_task(listen(port, c, handshakes, sockets)) for c in clients]
    while len(sockets) < count and not all(t.done() for t in tasks):
        await asyncio.sleep(0.05)
    pipe.send(len(sockets))
    told = False
    while not pipe.poll():
        if not told and all(c.done for c in clients):
            pipe.send("seen")
            told = True
        await asyncio.sleep(0.05)
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return clients


def run_clients(port: int, count: int, points: Decimal, events: int, pipe: Connection) -> None:
    """The client process: holds the clients, then turns what they saw into latencies."""
    clients = asyncio.run(hold_clients(port, count, points, events, pipe))
    batch_of, handed, projected = pipe.recv()
    total: Counter[int] = Counter()
    delivery: Counter[int] = Counter()  # projected -> client
    for client in clients:
        for r, (times, calls) in enumerate(client.seen):
            events_of_rep, before = batch_of[r::REPS], 0
            for at, upto in zip(times, calls):
                for b, n in Counter(events_of_rep[before:upto]).items():
                    total[round((at - handed[b]) * BUCKET)] += n
                    delivery[round((at - projected[b]) * BUCKET)] += n
                before = upto
    unseen = sum(f - best for c in clients for f, best in zip(c.final, c.best))
    pipe.send((total, delivery, unseen, sum(c.gaps for c in clients)))


# --- the server process -----------------------------------------------------------------

@dataclasses.dataclass
class Stamps:
    """What the server side saw: each batch handed to the ledger, each projector catch-up."""

    batches: list[Batch] = dataclasses.field(default_factory=list)
    marks: list[tuple[float, float, int]] = dataclasses.field(default_factory=list)  # began, ended, position

    def covering(self) -> list[tuple[float, float, int]]:
        """For each batch, the first catch-up that projected it."""
        return [next(m for m in self.marks if m[2] >= b.head) for b in self.batches]


async def follow(projector: Projector, stamps: Stamps) -> None:
    """The live demo's follower (tally.live), noting when each catch-up began and ended."""
    while True:
        began = time.time()
        await asyncio.to_thread(projector.catch_up)
        stamps.marks.append((began, time.time(), projector.position))
        await asyncio.sleep(POLL_S)


async def serve(settings: Settings, args: argparse.Namespace, points: Decimal) -> None:
    stamps = Stamps()
    app = embedded(settings)
    app = dataclasses.replace(app, writer=StampedWriter(app.writer, app.ledger.recorder.max_notification_id,
                                                        stamps.batches))
    gateway = build_gateway(settings, app.reader, app.feed)
    await gateway.start()
    projector = app.projector()
    assert projector is not None, "a fresh state has no other projector"
    following = asyncio.create_task(follow(projector, stamps))
    raws = activities(args.rate * args.seconds)
    spawn = multiprocessing.get_context("spawn")
    pipe, theirs = spawn.Pipe()
    clients = spawn.Process(target=run_clients, args=(gateway.port, args.clients, points, len(raws), theirs))
    clients.start()
    try:
        connected = await asyncio.to_thread(pipe.recv)
        report = await asyncio.to_thread(ingest, app, raws, batch_size=settings.batch_size, projector=None,
                                         rate=args.rate)
        while not stamps.marks or stamps.marks[-1][2] < stamps.batches[-1].head:
            if following.done():
                following.result()  # projecting failed
            await asyncio.sleep(0.05)
        settled = await asyncio.to_thread(pipe.poll, SETTLE_S)
        status = gateway.status()
        covering = stamps.covering()
        batch_of = [b for b, batch in enumerate(stamps.batches) for _ in range(batch.size)]
        pipe.send((batch_of, [b.handed for b in stamps.batches], [m[1] for m in covering]))
        while (seen := await asyncio.to_thread(pipe.recv)) == "seen":
            pass
    finally:
        following.cancel()
        await gateway.stop()
        if clients.is_alive():
            clients.terminate()
        clients.join()
    sent, span = report.events_read, stamps.batches[-1].recorded - stamps.batches[0].handed
    print("host: 2 cores shared with other work; figures move with its load")
    print(f"events sent           {sent:>10,}  ({KIND}s for {REPS} reps, batches of {stamps.batches[0].size})")
    print(f"achieved rate         {sent / span:>10,.0f} events/s (asked {args.rate:,})")
    print(f"clients connected     {connected:>10,}  of {args.clients:,}, on {CHANNEL}")
    total, delivery, unseen, gaps = seen
    p50, p90, p99, worst = percentiles(total, (50, 90, 99))
    print(f"latency               p50 {p50:.1f}  p90 {p90:.1f}  p99 {p99:.1f}  max {worst:.1f} ms")
    print(f"pairs never seen      {unseen:>10,}  of {connected * sent:,} (client, event) pairs"
          f"{'' if settled else f', {SETTLE_S:.0f} s after the last projection'}")
    print(f"delta gaps {gaps}, evictions {status['evictions']}, connections refused {status['connections_refused']}")
    print(f"bounded by            projector poll POLL_S {POLL_S * 1000:.0f} ms (tally.live), "
          f"gateway tick {gateway._tick_s * 1000:.0f} ms (gateway.server)")
    stages = stage_histograms(stamps, covering)
    stages["deliver"] = delivery
    for name, about in (("write", "handed -> in the ledger"), ("poll", "in the ledger -> projector starts"),
                        ("project", "projecting (views + change feed)"),
                        ("deliver", "projected -> client (tick, read, broadcast, receive)")):
        s50, s99, _ = percentiles(stages[name], (50, 99))
        print(f"  stage {name:<8}  p50 {s50:6.1f}  p99 {s99:6.1f} ms   {about}")
    print(f"p99 {p99:.0f} ms (budget <= 100 ms)")


def stage_histograms(stamps: Stamps, covering: list[tuple[float, float, int]]) -> dict[str, Counter[int]]:
    """Per event: writing its batch, waiting for the projector's next poll, projecting it."""
    stages: dict[str, Counter[int]] = {name: Counter() for name in ("write", "poll", "project")}
    for batch, (began, ended, _) in zip(stamps.batches, covering):
        for name, span in (("write", batch.recorded - batch.handed), ("poll", max(0.0, began - batch.recorded)),
                           ("project", ended - max(began, batch.recorded))):
            stages[name][round(span * BUCKET)] += batch.size
    return stages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=1000, help="events per second")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=0, help="the gateway's port (0: a free one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as state:
        settings = dataclasses.replace(Settings.from_env(state=state), port=args.port,
                                       max_connections_per_ip=args.clients)  # every client is 127.0.0.1
        points = settings.activity_points.get(KIND, Decimal(0))
        if not points:
            parser.error(f"TALLY_ACTIVITY_POINTS gives a {KIND} no points: the clients could not see events")
        asyncio.run(serve(settings, args, points))


if __name__ == "__main__":
    main()
