"""The asyncio shell around the hub: websockets in, change feed polled, deltas broadcast.

Every write is synchronous (`broadcast`, which never waits), so replies to one client and
deltas to all clients leave in the order the hub produced them. A client whose transport
backlog is past `max_buffer` bytes when a message is due is evicted with close code 1013
(its session dropped at once, the socket aborted if the close frame cannot get through)
rather than waited for.

Limits that keep one client from slowing every other (see `gateway.hub`): `max_channels`
channels live at once, lingering ones included; `reads_per_tick` channel re-reads per tick;
`channels_per_client` channels a connection holds, counting those it left that still linger;
`connections_per_ip` connections from one client address (one more is closed with 1013 right
after its handshake, where the count is exact).

A store out of reach (an error in `outages`, named by the composition root) never stops the
server: HTTP keeps answering (/healthz says `degraded`), the tick loop retries with backoff
up to `_BACKOFF_MAX_S`, and the feed follower resynchronises when the store is back (see
`gateway.follow`). Any other error in a tick is a bug and stops the server.
"""
import asyncio
import logging
from collections import Counter
from collections.abc import Iterable

from websockets.asyncio.server import Server, ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed
from websockets.frames import CloseCode

from projections.changefeed import ChangeFeed
from projections.read import ScoreReader

from gateway.follow import FeedFollower
from gateway.http import Routes
from gateway.hub import Hub
from gateway.outage import Guarded, Outages
from gateway.session import Session

__all__ = ["Gateway"]

_log = logging.getLogger(__name__)
_EVICT_GRACE_S = 2.0  # a stalled client gets this long to take the close frame
_BACKOFF_MAX_S = 2.0  # the longest wait between two tries while a store is out of reach


class Gateway:
    """Serves boards, reps and milestones from `reader`, following `feed` for changes."""

    def __init__(self, reader: ScoreReader, feed: ChangeFeed, *, host: str = "127.0.0.1",
                 port: int = 8765, tick_s: float = 0.05, max_buffer: int = 1 << 20,
                 history: int = 256, linger_s: float = 60.0, max_channels: int = 4096,
                 reads_per_tick: int = 64, channels_per_client: int = 64, connections_per_ip: int = 64,
                 outages: Outages = ()) -> None:
        self.host, self.port = host, port
        self._tick_s = tick_s
        self._max_buffer = max_buffer
        self._channels_per_client = channels_per_client
        self._connections_per_ip = connections_per_ip
        guarded = Guarded(reader, outages)
        self._hub: Hub[Session] = Hub(guarded, history=history, linger_ticks=round(linger_s / tick_s),
                                      max_channels=max_channels, reads_per_tick=reads_per_tick)
        self._follower = FeedFollower(feed, self._hub, outages=outages)
        self._routes = Routes(guarded, self.status)
        self._peers: dict[Session, ServerConnection] = {}
        self._per_address: Counter[str] = Counter()
        self._closing: set[asyncio.Task[None]] = set()
        self._evictions = self._refused = 0
        self._server: Server | None = None
        self._ticker: asyncio.Task[None] | None = None

    def status(self) -> dict[str, int | str]:
        outage = self._hub.outage
        return {"status": "ok" if outage is None else "degraded", **({"outage": outage} if outage else {}),
                "feed_epoch": self._follower.epoch, "feed_offset": self._follower.after,
                "connections": len(self._peers), "connections_refused": self._refused,
                "channels": self._hub.channel_count, "channels_lingering": self._hub.lingering_count,
                "channels_stale": self._hub.stale_count, "evictions": self._evictions}

    async def start(self) -> None:
        """Returns once listening; `port` is then the bound port (useful with port=0). A feed
        out of reach does not stop it: the tick loop keeps trying."""
        self._follower.poll()
        self._server = await serve(self._handle, self.host, self.port, compression=None,
                                   process_request=self._routes, max_size=1 << 16)
        self.port = self._server.sockets[0].getsockname()[1]
        self._ticker = asyncio.create_task(self._tick_forever())
        self._ticker.add_done_callback(_log_failure)

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            await asyncio.gather(self._ticker, return_exceptions=True)
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        await asyncio.gather(*self._closing, return_exceptions=True)

    async def serve_forever(self) -> None:
        """Runs until cancelled; a failing tick (a bug, or a broken reader) stops the server."""
        if self._ticker is None:
            await self.start()
        try:
            await self._running()
        finally:
            await self.stop()

    def _running(self) -> "asyncio.Task[None]":
        if self._ticker is None:
            raise RuntimeError("the gateway is not started")
        return self._ticker

    async def _handle(self, connection: ServerConnection) -> None:
        address = str(connection.remote_address[0])
        if self._per_address[address] >= self._connections_per_ip:
            self._refused += 1
            await connection.close(CloseCode.TRY_AGAIN_LATER, f"too many connections from {address} "
                                   f"(limit {self._connections_per_ip})")
            return
        self._per_address[address] += 1
        session = Session(self._hub, max_channels=self._channels_per_client)
        self._peers[session] = connection
        try:
            async for message in connection:
                for reply in session.receive(message):
                    self._send([session], reply)
        except ConnectionClosed:
            pass
        finally:
            session.close()
            self._peers.pop(session, None)
            self._per_address[address] -= 1
            if not self._per_address[address]:
                del self._per_address[address]

    async def _tick_forever(self) -> None:
        """Follows the feed and sends each tick's messages; waits longer while a store is out of reach."""
        delay = self._tick_s
        while True:
            if self._follower.poll():
                for out in self._hub.tick():
                    self._send(out.subscribers, out.message)
            delay = self._tick_s if self._hub.outage is None else min(delay * 2, _BACKOFF_MAX_S)
            await asyncio.sleep(delay)

    def _send(self, sessions: Iterable[Session], message: bytes) -> None:
        """Writes now to each session's client, unless its backlog is already past the bound.

        Checking the backlog before writing lets one large snapshot through to a healthy
        client; a client that stops reading crosses the bound and is evicted at a later send.
        """
        connections = []
        for session in sessions:
            connection = self._peers.get(session)
            if connection is None:
                continue  # evicted earlier in this tick
            if connection.transport.get_write_buffer_size() > self._max_buffer:
                self._evict(session, connection)
            else:
                connections.append(connection)
        broadcast(connections, message, text=True)

    def _evict(self, session: Session, connection: ServerConnection) -> None:
        """Stops feeding a client that does not read; closing it may then take a while."""
        session.close()
        del self._peers[session]
        self._evictions += 1
        _log.info("evicting slow client %s", connection.remote_address)
        task = asyncio.create_task(self._close_slow(connection))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _close_slow(self, connection: ServerConnection) -> None:
        try:
            async with asyncio.timeout(_EVICT_GRACE_S):
                await connection.close(CloseCode.TRY_AGAIN_LATER, "client too slow")
        except TimeoutError:
            connection.transport.abort()


def _log_failure(task: "asyncio.Task[None]") -> None:
    if not task.cancelled() and task.exception() is not None:
        _log.error("gateway tick loop failed; no more deltas", exc_info=task.exception())
