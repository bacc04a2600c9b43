"""A websocket client that subscribes mid-ingest follows a board while the export streams
in: its snapshot (already thousands of events deep) plus the deltas after it equal the final
board exactly, as `tally board --json` prints it."""
import asyncio
import threading
from decimal import Decimal
from typing import Any

import orjson
from websockets.asyncio.client import connect

from gateway.server import Gateway
from streams.crm_export import read_export
from tally.bootstrap import embedded
from tally.pipeline import ingest
from tally.settings import Settings
from tests.e2e.conftest import run_tally
from tests.e2e.expected import agents

CHANNEL = "board:revenue:2017:region:West"
MIDWAY = 4000  # events ingested before the client subscribes


def apply(rows: list[dict], delta: dict) -> list[dict]:
    """The documented delta rule: drop `removed`, replace or append `rows` by rep, then `order`."""
    removed = set(delta.get("removed", []))
    board = [r for r in rows if r["rep"] not in removed]
    for row in delta.get("rows", []):
        at = next((i for i, r in enumerate(board) if r["rep"] == row["rep"]), None)
        if at is None:
            board.append(row)
        else:
            board[at] = row
    if "order" in delta:
        by_rep = {r["rep"]: r for r in board}
        board = [by_rep[rep] for rep in delta["order"]]
    return board


async def follow(tmp_path, export_dir) -> dict[str, Any]:
    """Subscribes once MIDWAY events are in; what the client saw, and the board it ended on."""
    app = embedded(Settings.from_env(state=str(tmp_path)))
    gateway = Gateway(app.reader, app.feed, port=0, tick_s=0.02)
    await gateway.start()
    done, midway = [0], threading.Event()

    def counted(n: int) -> None:
        done[0] += n
        if done[0] >= MIDWAY and "2017" in app.reader.windows("revenue"):
            midway.set()

    raws = read_export(export_dir).events
    feeding = asyncio.create_task(asyncio.to_thread(ingest, app, raws, batch_size=200, projector=app.projector(),
                                                    rate=4000, on_batch=counted))
    try:
        await asyncio.to_thread(midway.wait, 120)
        async with connect(f"ws://127.0.0.1:{gateway.port}/ws") as ws:
            await ws.send(orjson.dumps({"op": "subscribe", "channel": CHANNEL}))
            snapshot = orjson.loads(await ws.recv())
            seen = {"snapshot": snapshot, "ingesting": not feeding.done(), "deltas": 0}
            board, offset = snapshot["data"], snapshot["offset"]
            while True:
                try:
                    message = orjson.loads(await asyncio.wait_for(ws.recv(), timeout=2.0))
                except TimeoutError:
                    if feeding.done() and gateway.status()["feed_offset"] == app.feed.last_offset():
                        break
                    continue
                assert (message["type"], message["epoch"]) == ("delta", snapshot["epoch"])
                assert message["prev"] == offset, f"a gap: at {offset}, the delta continues from {message['prev']}"
                assert message["offset"] > offset
                board, offset, seen["deltas"] = apply(board, message["data"]), message["offset"], seen["deltas"] + 1
            await feeding
        return {**seen, "board": board}
    finally:
        await gateway.stop()


def test_a_client_subscribing_mid_ingest_ends_on_the_final_board_exactly(tmp_path, export_dir) -> None:
    seen = asyncio.run(follow(tmp_path, export_dir))
    snapshot = seen["snapshot"]
    assert (snapshot["type"], snapshot["channel"], seen["ingesting"]) == ("snapshot", CHANNEL, True)
    assert any(Decimal(row["score"]) for row in snapshot["data"])  # not an empty start
    final = orjson.loads(run_tally("board", "revenue", "--window", "2017", "--scope", "region:West", "--json",
                                   state=tmp_path))
    assert seen["deltas"] > 1
    assert snapshot["data"] != final
    assert seen["board"] == final  # rank, rep, score and order
    assert {row["rep"] for row in final} == {a for a, (_, region) in agents().items() if region == "West"}
