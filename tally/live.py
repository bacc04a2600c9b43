"""The live demo: the feed paced into the ledger, the views projected as the ledger grows,
and the gateway pushing every change to its clients.

The demo must be the state's projector (it holds the projector lock) to push changes. It
projects as soon as each of its own batches lands, and polls the ledger every POLL_S while it
serves, so facts that other processes write (`tally ingest`) reach the boards and the clients
too: SQLite has no subscriptions.
"""
import asyncio
import contextlib
import sys
import threading
from collections.abc import Callable
from typing import Any

import click
from tqdm import tqdm

from projections.projector import Projector
from tally.bootstrap import Embedded
from tally.pipeline import IngestReport, ingest

__all__ = ["serve_live", "Follower", "POLL_S"]

POLL_S = 0.2  # how often a serving demo projects what any process wrote to the ledger
_WAIT_S = 30.0  # how long a demo waits for another process's projecting to end


async def serve_live(app: Embedded, raws: list[dict[str, Any]], speed: float | None, stop: threading.Event,
                     feed_done: Callable[[IngestReport], None]) -> None:
    from tally.serve import build_gateway

    settings = app.settings
    gateway = build_gateway(settings, app.reader, app.feed)
    try:
        await gateway.start()
    except OSError as error:
        raise click.ClickException(f"cannot listen on {settings.host}:{settings.port} ({error.strerror}); "
                                   "set TALLY_PORT to another port") from None
    projector = await _projector(app)
    click.echo(f"TV leaderboard: http://{settings.host}:{gateway.port}/  (Ctrl-C to stop)", err=True)
    follower = Follower(projector)
    following = asyncio.create_task(follower.run())
    try:
        with tqdm(total=len(raws), unit="ev", desc="ingest", file=sys.stderr) as bar:
            def landed(count: int) -> None:
                bar.update(count)
                follower.wake()

            report = await asyncio.to_thread(ingest, app, raws, batch_size=settings.batch_size,
                                             projector=None, rate=speed, on_batch=landed, stop=stop)
        while not following.done() and await asyncio.to_thread(projector.pending):
            await asyncio.sleep(POLL_S)
        if following.done():
            following.result()  # projecting failed: stop with its error, never serve stale boards
        feed_done(report)
        click.echo("Feed done; still serving the board, and projecting what other processes write.", err=True)
        await asyncio.gather(gateway.serve_forever(), following)
    finally:
        stop.set()  # a cancelled to_thread keeps running: tell the ingest to stop at its next batch
        following.cancel()


async def _projector(app: Embedded) -> Projector:
    """The state's projector: a live demo must be it, to push every change to its clients."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _WAIT_S
    while (projector := await asyncio.to_thread(app.projector)) is None:
        if loop.time() > deadline:
            raise click.ClickException(f"{app.settings.state} is projected by {app.lock.holder()} (another "
                                       "tally demo?): stop it, or pass another --state")
        click.echo(f"waiting for {app.lock.holder()} to finish projecting {app.settings.state}", err=True)
        await asyncio.sleep(1.0)
    return projector


class Follower:
    """Projects the ledger while the demo runs: at once when woken (a batch of the demo's own
    feed landed), else every `poll_s` (what other processes write). Waiting out a poll cost
    the demo's own events 100 ms on average, 200 ms at worst, on the way to the screens."""

    def __init__(self, projector: Projector, poll_s: float = POLL_S) -> None:
        self._projector, self._poll_s = projector, poll_s
        self._loop = asyncio.get_running_loop()
        self._woken = asyncio.Event()

    def wake(self) -> None:
        """Callable from any thread (the ingest runs in one)."""
        self._loop.call_soon_threadsafe(self._woken.set)

    async def run(self) -> None:
        while True:
            self._woken.clear()  # before projecting: a batch landing meanwhile wakes the next round
            await asyncio.to_thread(self._projector.catch_up)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self._poll_s)
