"""Event to websocket client latency, at a paced ingest rate with many connected clients.

    python bench/push_latency.py [--rate R] [--clients N] [--seconds D] [--port P]

This process is the live demo's server: an embedded state in a temp dir, R activity.logged
events/s fed for D seconds through `tally.pipeline.ingest` (door -> ledger), the demo's
`tally.live.Follower` projecting each batch once it lands (views + change feed), the gateway of
`tally.serve.build_gateway` pushing board deltas. bench/push_latency_clients.py, a process of its
own, holds N websocket clients on the company activity board and tells when each first saw
each event's effect (event i is rep i % REPS's (i // REPS + 1)-th call).

Latency per (client, event) = the wall time a client first sees the event's effect - the
wall time ingest handed its batch to the ledger writer. Prints the percentiles, the pairs
never seen, the stages on the way, and the settings that bound the figure.
"""
import argparse
import asyncio
import dataclasses
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from domain.facts import Fact
from projections.projector import Projector
from streams.writer_turns import FactWriter
from tally.bootstrap import embedded
from tally.live import Follower
from tally.pipeline import ingest
from tally.serve import build_gateway
from tally.settings import Settings

REPS = 4
KIND = "call"
CHANNEL = "board:activity:all:company"
CLIENTS = Path(__file__).with_name("push_latency_clients.py")
SETTLE_S = 10.0  # how long clients may take to see the last event once it is projected
BUCKET = 10_000  # histogram buckets per second (0.1 ms), as the clients count them


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
    head: Callable[[], int | None]
    batches: list[Batch]

    def record(self, facts: Sequence[Fact], refuse: Any = None) -> int:
        handed = time.time()
        new = self.writer.record(facts, refuse)
        self.batches.append(Batch(len(facts), handed, time.time(), self.head() or 0))
        return new


def activities(count: int) -> list[dict[str, Any]]:
    start = datetime(2026, 1, 5, tzinfo=timezone.utc)
    return [{"event_id": f"bench:{i}", "type": "activity.logged", "source": "bench", "kind": KIND,
             "occurred_at": (start + timedelta(seconds=i)).isoformat(), "activity_id": f"B{i}",
             "rep_id": f"bench-rep-{i % REPS}"} for i in range(count)]


def percentiles(hist: Counter[int], qs: Sequence[float]) -> list[float]:
    """Nearest-rank percentiles (and the max) in ms of a histogram of BUCKET-ths of a second."""
    total, keys = sum(hist.values()), sorted(hist)
    if not total:
        return [float("nan")] * (len(qs) + 1)
    out, seen, at = [], 0, 0
    for q in qs:
        rank = max(1, -(-total * q // 100))
        while seen + hist[keys[at]] < rank:
            seen += hist[keys[at]]
            at += 1
        out.append(keys[at] * 1000 / BUCKET)
    return out + [keys[-1] * 1000 / BUCKET]


# --- the server process -----------------------------------------------------------------

@dataclasses.dataclass
class Stamps:
    """What the server side saw: each batch handed to the ledger, each projector catch-up."""

    batches: list[Batch] = dataclasses.field(default_factory=list)
    marks: list[tuple[float, float, int]] = dataclasses.field(default_factory=list)  # began, ended, position

    def covering(self) -> list[tuple[float, float, int]]:
        """For each batch, the first catch-up that projected it."""
        return [next(m for m in self.marks if m[2] >= b.head) for b in self.batches]


@dataclasses.dataclass
class StampedProjector:
    """The state's projector, noting when each catch-up began and ended."""

    projector: Projector
    stamps: Stamps

    def catch_up(self) -> None:
        began = time.time()
        self.projector.catch_up()
        self.stamps.marks.append((began, time.time(), self.projector.position))


@dataclasses.dataclass
class Run:
    """One run's figures: the server's stamps and what the clients process reported."""

    stamps: Stamps
    connected: int
    sent: int
    settled: bool  # every client saw every event within SETTLE_S of the last projection
    busy: float  # share of a core the server process used while the feed ran
    status: dict[str, Any]  # the gateway's, at the end
    tick_s: float
    clients: dict[str, Any]


async def hear(clients: asyncio.subprocess.Process) -> dict[str, Any]:
    """The clients process's next line; its end is an error (its own is on stderr)."""
    assert clients.stdout is not None
    line = await clients.stdout.readline()
    if not line:
        raise RuntimeError(f"the clients process ended ({await clients.wait()}); see its error above")
    return orjson.loads(line)


async def serve(settings: Settings, args: argparse.Namespace, points: Decimal) -> Run:
    stamps = Stamps()
    app = embedded(settings)
    app = dataclasses.replace(app, writer=StampedWriter(app.writer, app.ledger.recorder.max_notification_id,
                                                        stamps.batches))
    gateway = build_gateway(settings, app.reader, app.feed)
    await gateway.start()
    projector = app.projector()
    assert projector is not None, "a fresh state has no other projector"
    follower = Follower(StampedProjector(projector, stamps))
    following = asyncio.create_task(follower.run())
    raws = activities(args.rate * args.seconds)
    clients = await asyncio.create_subprocess_exec(
        sys.executable, str(CLIENTS), str(gateway.port), CHANNEL, str(args.clients), str(REPS), str(points),
        str(len(raws)), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=1 << 26)
    assert clients.stdin is not None
    try:
        connected = (await hear(clients))["connected"]
        cpu, wall = time.process_time(), time.monotonic()
        report = await asyncio.to_thread(ingest, app, raws, batch_size=settings.batch_size, projector=None,
                                         rate=args.rate, on_batch=lambda _: follower.wake())
        while not stamps.marks or stamps.marks[-1][2] < stamps.batches[-1].head:
            if following.done():
                following.result()  # projecting failed
            await asyncio.sleep(0.05)
        try:
            settled = "seen" in await asyncio.wait_for(hear(clients), SETTLE_S)
        except TimeoutError:
            settled = False
        busy = (time.process_time() - cpu) / (time.monotonic() - wall)
        clients.stdin.write(orjson.dumps({
            "batch_of": [b for b, batch in enumerate(stamps.batches) for _ in range(batch.size)],
            "handed": [b.handed for b in stamps.batches], "projected": [m[1] for m in stamps.covering()]}) + b"\n")
        await clients.stdin.drain()
        while "total" not in (seen := await hear(clients)):
            pass  # a {"seen": true} that came after SETTLE_S
        return Run(stamps, connected, report.events_read, settled, busy, gateway.status(), gateway._tick_s, seen)
    finally:
        following.cancel()
        await gateway.stop()
        if clients.returncode is None:
            clients.kill()
        await clients.wait()


def report(run: Run, args: argparse.Namespace) -> None:
    batches, seen = run.stamps.batches, run.clients
    hists = {name: Counter({int(k): n for k, n in seen[name].items()}) for name in ("total", "deliver", "fan-out")}
    p50, p90, p99, worst = percentiles(hists["total"], (50, 90, 99))
    print("host: 2 cores shared with other work; figures move with its load")
    print(f"events sent           {run.sent:>10,}  ({KIND}s for {REPS} reps, batches of {batches[0].size})")
    print(f"achieved rate         {run.sent / (batches[-1].recorded - batches[0].handed):>10,.0f} events/s "
          f"(asked {args.rate:,})")
    print(f"clients connected     {run.connected:>10,}  of {args.clients:,}, on {CHANNEL}")
    print(f"latency               p50 {p50:.1f}  p90 {p90:.1f}  p99 {p99:.1f}  max {worst:.1f} ms")
    print(f"pairs never seen      {seen['unseen']:>10,}  of {run.connected * run.sent:,} (client, event) pairs"
          f"{'' if run.settled else f', {SETTLE_S:.0f} s after the last projection'}")
    print(f"cores used            server {run.busy:.0%} of one, clients {seen['busy']:.0%} of one (2 on this host)")
    print(f"delta gaps {seen['gaps']}, evictions {run.status['evictions']}, "
          f"connections refused {run.status['connections_refused']}")
    print(f"bounded by            projecting each batch once it lands (tally.live.Follower), "
          f"gateway tick {run.tick_s * 1000:.0f} ms (gateway.server)")
    stages = {**stage_histograms(run.stamps), **hists}
    for name, about in (("write", "handed -> in the ledger"), ("wake", "in the ledger -> projector starts"),
                        ("project", "projecting (views + change feed)"),
                        ("deliver", "projected -> client (tick, read, broadcast, receive)"),
                        ("fan-out", "first -> last client to get a delta (per delta)")):
        s50, s99, _ = percentiles(stages[name], (50, 99))
        print(f"  stage {name:<8}  p50 {s50:6.1f}  p99 {s99:6.1f} ms   {about}")
    print(f"p99 {p99:.0f} ms (budget <= 100 ms)")


def stage_histograms(stamps: Stamps) -> dict[str, Counter[int]]:
    """Per event: writing its batch, waiting for the projector to start on it, projecting it."""
    stages: dict[str, Counter[int]] = {name: Counter() for name in ("write", "wake", "project")}
    for batch, (began, ended, _) in zip(stamps.batches, stamps.covering()):
        for name, span in (("write", batch.recorded - batch.handed), ("wake", max(0.0, began - batch.recorded)),
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
    if min(args.rate, args.clients, args.seconds) < 1:
        parser.error("--rate, --clients and --seconds must be positive")
    with tempfile.TemporaryDirectory() as state:
        settings = dataclasses.replace(Settings.from_env(state=state), port=args.port,
                                       max_connections_per_ip=args.clients)  # every client is 127.0.0.1
        points = settings.activity_points.get(KIND, Decimal(0))
        if not points:
            parser.error(f"TALLY_ACTIVITY_POINTS gives a {KIND} no points: the clients could not see events")
        report(asyncio.run(serve(settings, args, points)), args)


if __name__ == "__main__":
    main()
