"""A websocket client follows a board while the export streams in: snapshot + deltas = final board."""
import asyncio

import orjson
from websockets.asyncio.client import connect

from domain.board import Scope
from gateway.server import Gateway
from streams.crm_export import read_export
from tally.bootstrap import embedded
from tally.pipeline import ingest
from tally.settings import Settings
from tests.e2e.expected import agents

CHANNEL = "board:revenue:2017:region:West"


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


async def follow(tmp_path, export_dir) -> tuple[list[dict], int, list[dict]]:
    app = embedded(Settings.from_env(state=str(tmp_path)))
    gateway = Gateway(app.reader, app.feed, port=0, tick_s=0.02)
    await gateway.start()
    try:
        async with connect(f"ws://127.0.0.1:{gateway.port}/ws") as ws:
            await ws.send(orjson.dumps({"op": "subscribe", "channel": CHANNEL}))
            snapshot = orjson.loads(await ws.recv())
            assert snapshot["type"] == "snapshot" and snapshot["channel"] == CHANNEL
            board, offset, deltas = snapshot["data"], snapshot["offset"], 0
            raws = read_export(export_dir).events
            feeding = asyncio.create_task(asyncio.to_thread(ingest, app, raws, batch_size=200, projector=app.projector()))
            while True:
                try:
                    message = orjson.loads(await asyncio.wait_for(ws.recv(), timeout=2.0))
                except TimeoutError:
                    if feeding.done() and gateway.status()["feed_offset"] == app.feed.last_offset():
                        break
                    continue
                assert message["type"] == "delta" and message["prev"] == offset, "a gap in the deltas"
                assert message["offset"] > offset
                board, offset, deltas = apply(board, message["data"]), message["offset"], deltas + 1
            await feeding
        final = [{"rank": r.rank, "rep": r.rep, "score": str(r.score)}
                 for r in app.reader.board("revenue", "2017", Scope.parse("region:West"))]
        return board, deltas, final
    finally:
        await gateway.stop()


def test_snapshot_then_deltas_reproduce_the_final_board_exactly(tmp_path, export_dir):
    board, deltas, final = asyncio.run(follow(tmp_path, export_dir))
    assert deltas > 1
    assert board == final
    assert {row["rep"] for row in final} == {a for a, (_, region) in agents().items() if region == "West"}
    assert any(row["score"] != "0" for row in final)
