"""A store out of reach under a real Gateway: it keeps serving, says it is degraded, and
when the store is back the client gets every delta in order or a fresh snapshot."""
import asyncio
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect

from gateway.server import Gateway
from projections.changefeed import MemoryChangeFeed
from tests.helpers import FlakyFeed, Outage
from tests.integration.gateway_client import CHANGE, BoardClient, BoardReader, gateway, get, run, subscribe


async def health(served: Gateway) -> tuple[int, dict[str, Any]]:
    status, body = await asyncio.to_thread(get, served.port, "/healthz")
    return status, orjson.loads(body)


async def degraded(served: Gateway) -> dict[str, Any]:
    """/healthz once the gateway has noticed the outage."""
    while (answer := await health(served))[0] != 503:
        await asyncio.sleep(0.01)
    return answer[1]


async def pong(ws: ClientConnection) -> dict[str, Any]:
    await ws.send(orjson.dumps({"op": "ping"}))
    return orjson.loads(await asyncio.wait_for(ws.recv(), 20))  # type: ignore[no-any-return]


async def lose_the_stores(ws: ClientConnection, served: Gateway, reader: BoardReader, feed: FlakyFeed,
                          client: BoardClient) -> dict[str, Any]:
    """Subscribes the client, then takes the feed and the views out of reach; /healthz then."""
    await ws.send(subscribe())
    client.take(await ws.recv())
    feed.down = reader.down = True
    return await degraded(served)


def test_an_outage_degrades_the_gateway_and_then_every_delta_arrives_in_order() -> None:
    reader, feed, client = BoardReader(["Ann", "Bob", "Cy"]), FlakyFeed(MemoryChangeFeed()), BoardClient()
    epochs: list[str] = []

    async def scenario() -> None:
        async with gateway(reader, feed, outages=(Outage,)) as served:
            async with connect(f"ws://127.0.0.1:{served.port}/ws") as ws:
                body = await lose_the_stores(ws, served, reader, feed, client)
                epochs.append(client.epoch)
                assert body["status"] == "degraded" and "Connection refused" in body["outage"]
                assert await pong(ws) == {"type": "pong", "live": False}
                for n, rep in enumerate(["Bob", "Cy", "Ann", "Bob"]):  # the feed keeps them meanwhile
                    reader.set(rep, 100 * (n + 1), f"e{n}")
                    feed.publish([CHANGE])
                feed.down = reader.down = False
                await client.follow_until(ws, reader.expected())  # refuses any gap
                assert (await health(served))[0] == 200
    run(scenario)
    assert client.epoch == epochs[0]  # deltas only: no snapshot was needed


def test_a_feed_back_empty_gives_a_fresh_snapshot_then_follows_the_rebuild() -> None:
    reader, feed, client = BoardReader(["Ann", "Bob", "Cy"]), FlakyFeed(MemoryChangeFeed()), BoardClient()
    epochs: list[str] = []

    async def scenario() -> None:
        async with gateway(reader, feed, outages=(Outage,)) as served:
            async with connect(f"ws://127.0.0.1:{served.port}/ws") as ws:
                await lose_the_stores(ws, served, reader, feed, client)
                epochs.append(client.epoch)
                feed.feed = MemoryChangeFeed()  # came back empty: a new epoch, offsets from zero
                feed.down = reader.down = False
                message = orjson.loads(await asyncio.wait_for(ws.recv(), 20))
                assert (message["type"], message["epoch"] != epochs[0]) == ("snapshot", True)
                client.take(orjson.dumps(message))
                reader.set("Cy", 900, "e1")  # the rebuild goes on, announced in the new feed
                feed.publish([CHANGE])
                await client.follow_until(ws, reader.expected())
    run(scenario)
    assert client.rows[0]["rep"] == "Cy"


def test_a_gateway_started_while_the_feed_is_down_serves_http_and_catches_up() -> None:
    reader, feed = BoardReader(["Ann"]), FlakyFeed(MemoryChangeFeed())
    feed.feed.publish([CHANGE, CHANGE])
    feed.down = True

    async def scenario() -> None:
        async with gateway(reader, feed, outages=(Outage,)) as served:
            assert (await degraded(served))["status"] == "degraded"
            feed.down = False
            while (answer := await health(served))[0] != 200:
                await asyncio.sleep(0.01)
            assert answer[1]["feed_offset"] == 2
    run(scenario)
