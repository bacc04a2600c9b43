"""One client connection's conversation, without I/O: feed it a message, send what it returns.

Client messages (JSON objects)::

    {"op": "subscribe", "channel": NAME, "resume": {"epoch": str, "offset": int}}  # resume optional
    {"op": "unsubscribe", "channel": NAME}
    {"op": "ping"}

Answers: a `snapshot` or the missed `delta`s for a subscribe, nothing for an unsubscribe,
`pong` for a ping (`live` false while the views or the feed are out of reach), and
`{"type": "error", "reason": ..., "channel"?: ...}` for anything the session cannot do
(a bad name, a channel refused, views out of reach); an error never ends the connection.

A session holds at most `max_channels` channels: those it subscribes to, and those it left
that still linger in the hub with nobody watching (they cost the hub as much). So a client
that subscribes and unsubscribes many channels is refused new ones until they expire.
"""
from typing import Any

import orjson

from gateway import wire
from gateway.exceptions import GatewayError
from gateway.hub import Hub

__all__ = ["Session"]


class Session:
    """Subscriptions of one connection; `close()` drops them and ignores later messages."""

    def __init__(self, hub: "Hub[Session]", *, max_channels: int = 64) -> None:
        self._hub = hub
        self._max_channels = max_channels
        self._channels: set[str] = set()
        self._closed = False

    @property
    def channels(self) -> frozenset[str]:
        return frozenset(self._channels)

    def receive(self, message: str | bytes) -> list[bytes]:
        if self._closed:
            return []
        try:
            request = orjson.loads(message)
        except orjson.JSONDecodeError:
            return [wire.error("message is not JSON")]
        if not isinstance(request, dict):
            return [wire.error("message is not a JSON object")]
        op = request.get("op")
        if op == "ping":
            return [wire.pong(live=self._hub.outage is None)]
        if op not in ("subscribe", "unsubscribe"):
            return [wire.error(f"op {op!r} is not 'subscribe', 'unsubscribe' or 'ping'")]
        name = request.get("channel")
        if not isinstance(name, str):
            return [wire.error(f"{op} needs a 'channel' string")]
        if op == "unsubscribe":
            self._channels.discard(name)
            self._hub.unsubscribe(self, name)
            return []
        return self._subscribe(name, request.get("resume"))

    def close(self) -> None:
        for name in self._channels:
            self._hub.unsubscribe(self, name)
        self._channels.clear()
        self._closed = True

    def _subscribe(self, name: str, resume: Any) -> list[bytes]:
        if self._full(name):
            return [wire.error(f"already holding {self._max_channels} channels (subscribed, or left "
                               "and not yet expired); unsubscribe or wait", channel=name)]
        position = _position(resume)
        if isinstance(position, str):
            return [wire.error(position, channel=name)]
        try:
            replies = self._hub.subscribe(self, name, position)
        except (ValueError, GatewayError) as error:
            return [wire.error(str(error), channel=name)]
        self._channels.add(name)
        return replies

    def _full(self, name: str) -> bool:
        """Whether subscribing to `name` would take one channel more than the limit."""
        left = self._hub.left(self)
        held = len(self._channels) + len(left)
        return name not in self._channels and name not in left and held >= self._max_channels


def _position(resume: Any) -> tuple[str, int] | None | str:
    """(epoch, offset), None when absent, or the reason it is malformed."""
    if resume is None:
        return None
    epoch = resume.get("epoch") if isinstance(resume, dict) else None
    offset = resume.get("offset") if isinstance(resume, dict) else None
    if not isinstance(epoch, str) or not isinstance(offset, int) or isinstance(offset, bool):
        return "resume must be {'epoch': string, 'offset': integer}"
    return epoch, offset
