"""The messages a client receives, encoded once as UTF-8 JSON bytes (orjson).

Money and scores travel as decimal strings (`"1250.00"`, deals as `"3"`): a JSON number
would pass through a client's binary float and stop adding up to the statement.
"""
from decimal import Decimal
from typing import Any

import orjson

__all__ = ["decimal_text", "delta", "encode", "error", "pong", "snapshot"]


def decimal_text(value: Decimal) -> str:
    """Plain decimal notation (never `1E+3`), so any client can parse it."""
    return format(value, "f")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return decimal_text(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def encode(message: dict[str, Any]) -> bytes:
    return orjson.dumps(message, default=_default)


def snapshot(channel: str, epoch: str, offset: int, data: Any) -> bytes:
    return encode({"type": "snapshot", "channel": channel, "epoch": epoch, "offset": offset,
                   "data": data})


def delta(channel: str, epoch: str, offset: int, prev: int, data: Any) -> bytes:
    """`prev` is the channel's offset before this delta: a client holding another offset
    missed something and must subscribe again."""
    return encode({"type": "delta", "channel": channel, "epoch": epoch, "offset": offset,
                   "prev": prev, "data": data})


def error(reason: str, *, channel: str | None = None) -> bytes:
    body = {"type": "error", "reason": reason}
    return encode(body if channel is None else {**body, "channel": channel})


def pong(*, live: bool) -> bytes:
    """`live` false: the gateway cannot reach the views or the feed, so boards are frozen."""
    return encode({"type": "pong", "live": live})
