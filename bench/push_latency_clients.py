"""The websocket clients of bench/push_latency.py, in a process of their own (one asyncio loop).

    python bench/push_latency_clients.py PORT CHANNEL CLIENTS REPS POINTS EVENTS

Every client subscribes to CHANNEL, a board on which event i raises rep `...-{i % REPS}`
by POINTS, so it is that rep's (i // REPS + 1)-th; a client has seen event i once that rep's
score is at least that many POINTS. Nothing else of the server is trusted.

Talks JSON lines: prints {"connected": n} once every client is subscribed (or failed),
{"seen": true} once every client has seen every event; then reads one line with the server's
stamps ({"batch_of": [batch per event], "handed": [...], "projected": [...] per batch}),
closes the clients, and prints the share of a core it used while subscribed, the histograms (tenths of a ms) of first-seen - handed and
first-seen - projected over every (client, event) pair, the spread of each delta's arrival
over the clients, the pairs never seen and the delta gaps (a `prev` that is not the last offset).
"""
import asyncio
import sys
import time
from array import array
from collections import Counter
from decimal import Decimal
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect

BUCKET = 10_000  # histogram buckets per second: 0.1 ms
HANDSHAKES = 50  # clients connecting at once


class Client:
    """One websocket client: when each rep's score first reached each count of events, and gaps."""

    def __init__(self, reps: int, points: Decimal, events: int, fanout: dict[int, list[float]]) -> None:
        self.points, self.final = points, [len(range(r, events, reps)) for r in range(reps)]
        self.fanout = fanout  # per delta offset, the first and last time any client got it
        self.best, self.offset, self.gaps, self.done = [0] * reps, 0, 0, False
        self.seen = [(array("d"), array("l")) for _ in range(reps)]

    def receive(self, raw: str | bytes, at: float) -> None:
        message = orjson.loads(raw)
        if message["type"] == "delta":
            self.gaps += message["prev"] != self.offset
            self.fanout.setdefault(message["offset"], [at, at])[1] = at
        self.offset = message.get("offset", self.offset)
        rows = message["data"] if message["type"] == "snapshot" else message["data"].get("rows", [])
        for row in rows:
            r = int(row["rep"].rsplit("-", 1)[1])
            count = int(Decimal(row["score"]) / self.points)
            if count > self.best[r]:
                self.best[r] = count
                self.seen[r][0].append(at)
                self.seen[r][1].append(count)
        self.done = self.best == self.final


def say(message: dict[str, Any]) -> None:
    sys.stdout.buffer.write(orjson.dumps(message, option=orjson.OPT_NON_STR_KEYS) + b"\n")
    sys.stdout.flush()


async def listen(url: str, channel: str, client: Client, handshakes: asyncio.Semaphore,
                 sockets: list[ClientConnection]) -> None:
    async with handshakes:
        ws = await connect(url, ping_interval=None, open_timeout=60)
        await ws.send(orjson.dumps({"op": "subscribe", "channel": channel}).decode())
        client.receive(await ws.recv(), time.time())
    sockets.append(ws)
    async for raw in ws:
        client.receive(raw, time.time())


async def hold(url: str, channel: str, clients: list[Client]) -> tuple[bytes, float]:
    """Holds the clients until the server's stamps arrive on stdin; returns them, and the
    share of a core this process used meanwhile."""
    sockets: list[ClientConnection] = []
    handshakes = asyncio.Semaphore(HANDSHAKES)
    tasks = [asyncio.create_task(listen(url, channel, c, handshakes, sockets)) for c in clients]
    while len(sockets) + sum(t.done() for t in tasks) < len(clients):
        await asyncio.sleep(0.05)
    if failed := [t.exception() for t in tasks if t.done() and t.exception()]:
        print(f"{len(failed)} clients failed to subscribe, the first: {failed[0]!r}", file=sys.stderr)
    say({"connected": len(sockets)})
    cpu, wall = time.process_time(), time.monotonic()
    stamps = asyncio.create_task(asyncio.to_thread(sys.stdin.buffer.readline))
    told = False
    while not stamps.done():
        if not told and all(c.done for c in clients):
            say({"seen": True})
            told = True
        await asyncio.sleep(0.05)
    busy = (time.process_time() - cpu) / (time.monotonic() - wall)
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return stamps.result(), busy


def latencies(clients: list[Client], stamps: dict[str, list[Any]]) -> dict[str, Counter[int]]:
    """Histograms over every (client, event) pair: first seen - handed, first seen - projected."""
    batch_of, handed, projected = stamps["batch_of"], stamps["handed"], stamps["projected"]
    total: Counter[int] = Counter()
    deliver: Counter[int] = Counter()
    reps = len(clients[0].final) if clients else 0
    for client in clients:
        for r, (times, counts) in enumerate(client.seen):
            batch_of_rep, before = batch_of[r::reps], 0
            for at, upto in zip(times, counts):
                for b, n in Counter(batch_of_rep[before:upto]).items():
                    total[round((at - handed[b]) * BUCKET)] += n
                    deliver[round((at - projected[b]) * BUCKET)] += n
                before = upto
    return {"total": total, "deliver": deliver}


def main() -> None:
    port, channel, count, reps, points, events = sys.argv[1:]
    fanout: dict[int, list[float]] = {}
    clients = [Client(int(reps), Decimal(points), int(events), fanout) for _ in range(int(count))]
    line, busy = asyncio.run(hold(f"ws://127.0.0.1:{port}/ws", channel, clients))
    stamps = orjson.loads(line)
    spread = Counter(round((last - first) * BUCKET) for first, last in fanout.values())
    say({**latencies(clients, stamps), "fan-out": spread, "gaps": sum(c.gaps for c in clients), "busy": busy,
         "unseen": sum(f - best for c in clients for f, best in zip(c.final, c.best))})


if __name__ == "__main__":
    main()
