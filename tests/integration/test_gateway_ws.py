"""The real Gateway on a loopback port, a dict-backed reader and an in-memory change feed."""
import asyncio
import re
import socket
import threading
from typing import Any

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from projections.changefeed import MemoryChangeFeed
from tests.integration.gateway_client import (BOARD, CHANGE, BoardClient, BoardReader, gateway, get, play,
                                              run, subscribe)


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


def test_a_feed_gap_sends_the_client_a_fresh_snapshot_of_the_board() -> None:
    reader, feed, client = BoardReader(["Ann", "Bob"]), MemoryChangeFeed(retain=2), BoardClient()
    epochs: list[str] = []

    async def scenario() -> None:
        async with gateway(reader, feed) as served, connect(f"ws://127.0.0.1:{served.port}/ws") as ws:
            await ws.send(subscribe())
            client.take(await ws.recv())
            epochs.append(client.epoch)
            reader.set("Bob", 700, "e1")
            feed.publish([CHANGE] * 5)  # older than the feed retains once the gateway reads
            await client.follow_until(ws, reader.expected())
    run(scenario)
    assert client.rows[0]["rep"] == "Bob"
    assert client.epoch != epochs[0]  # a snapshot under the hub's new epoch, not a delta


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
            assert status == 200 and b"/board.js" in body and b"/board_logic.js" in body
            status, body = await asyncio.to_thread(get, served.port, "/board_logic.js")
            assert status == 200 and b"module.exports = BoardLogic" in body
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
                assert await pong(churner) == {"type": "pong", "live": True}
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


def test_connections_past_the_limit_of_one_address_are_closed_and_the_others_go_on() -> None:
    reader, feed = BoardReader(["Ann"]), MemoryChangeFeed()

    async def scenario() -> None:
        async with gateway(reader, feed, connections_per_ip=2) as served:
            url = f"ws://127.0.0.1:{served.port}/ws"
            async with connect(url) as first, connect(url) as second:
                async with connect(url) as third:
                    with pytest.raises(ConnectionClosed) as closed:
                        await asyncio.wait_for(third.recv(), 20)
                assert closed.value.rcvd is not None
                assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (
                    1013, "too many connections from 127.0.0.1 (limit 2)")
                assert await pong(first) == await pong(second) == {"type": "pong", "live": True}
                status, body = await asyncio.to_thread(get, served.port, "/healthz")
                assert (orjson.loads(body)["connections"], orjson.loads(body)["connections_refused"]) == (2, 1)
            async with connect(url) as again:  # the address's count went down as they left
                assert await pong(again) == {"type": "pong", "live": True}
    run(scenario)


def test_metrics_are_prometheus_text_with_help_and_type_for_every_figure() -> None:
    reader, feed = BoardReader(["Ann"]), MemoryChangeFeed()
    feed.publish([CHANGE] * 3)

    async def scenario() -> None:
        async with gateway(reader, feed) as served, connect(f"ws://127.0.0.1:{served.port}/ws") as ws:
            await ws.send(subscribe())
            await ws.recv()
            status, body = await asyncio.to_thread(get, served.port, "/metrics")
            assert status == 200
            text = body.decode()
            helps = re.findall(r"^# HELP (\S+) \S", text, flags=re.MULTILINE)
            types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, flags=re.MULTILINE))
            samples = dict(re.findall(r"^(tally_\S+) (\S+)$", text, flags=re.MULTILINE))
            assert set(helps) == set(types) and len(helps) == 8
            assert {name for name, kind in types.items() if kind == "counter"} == {
                "tally_gateway_evictions_total", "tally_gateway_connections_refused_total"}
            families = {f.name: f for f in text_string_to_metric_families(text)}
            assert {name: family.type for name, family in families.items()} == {
                name.removesuffix("_total"): kind for name, kind in types.items()}
            assert (samples["tally_gateway_up"], samples["tally_gateway_feed_offset"]) == ("1.0", "3.0")
            assert (samples["tally_gateway_connections"], samples["tally_gateway_channels"]) == ("1.0", "1.0")
    run(scenario)
