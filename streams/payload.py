"""Bytes off the wire to an event object: JSON, UTF-8, one object, every key once, at most
64 levels of objects and arrays.

orjson reads every payload. Two things it does silently are caught here, each only when a
cheap look at the result says it may have happened, so the common payload pays for one walk
of the decoded object and one `bytes.count`:

- a key given twice (orjson keeps the last): without a backslash in the payload every `"`
  opens or closes a key or a string value, so a payload holding more quotes than twice the
  keys and string values orjson kept lost something; a backslash (an escaped key could hide
  a twin) sends the payload the slow way too;
- an integer past 64 bits (orjson turns 100000000000000000000 into the float 1e+20):
  suspected on any float that large.

The slow way is the standard library's reading, which sees every key pair (a twin is
refused naming the key) and keeps integers exact, so a refusal shows one as written.
"""
import json
from typing import Any

import orjson

from streams.exceptions import InvalidEvent
from streams.fields import json_kind

__all__ = ["decode"]

_INT64 = 2.0 ** 63  # floats from here on may have been integers orjson could not hold
_MAX_FIELD = 256
_MAX_DEPTH = 64  # objects and arrays inside one another; the contract's deepest (splits) is 3


def decode(data: bytes) -> dict[str, Any]:
    """An event object; InvalidEvent if the payload is not one."""
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        _check_utf8(data)
        raise InvalidEvent("payload", f"is not JSON ({error})") from None
    if not isinstance(raw, dict):
        raise InvalidEvent("payload", f"must be a JSON object, got {json_kind(raw)}")
    strings = _strings(raw)
    if strings is None or b"\\" in data or data.count(b'"') != 2 * strings:
        raw = _read_strictly(data, raw)
    return raw


def _check_utf8(payload: bytes) -> None:
    """orjson says "surrogates not allowed" of any bad byte: name the byte and its offset."""
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidEvent("payload", f"is not UTF-8 at byte {error.start} "
                                      f"(0x{payload[error.start]:02x}: {error.reason})") from None


def _strings(value: dict[str, Any]) -> int | None:
    """Keys and string values in a decoded object; None if a float may have been a big integer.

    InvalidEvent past `_MAX_DEPTH` levels: orjson reads up to 1,024, but no writer of the
    payload back (the dead letter) follows that far, and a refusal must never stop the feed."""
    count, suspect = 0, False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise InvalidEvent("payload", f"nests objects and arrays more than {_MAX_DEPTH} deep")
        if type(item) is dict:
            count += len(item)
        for child in item.values() if type(item) is dict else item:
            kind = type(child)
            if kind is str:
                count += 1
            elif kind is dict or kind is list:
                stack.append((child, depth + 1))
            elif kind is float and not -_INT64 <= child < _INT64:
                suspect = True
    return None if suspect else count


def _read_strictly(data: bytes, read: dict[str, Any]) -> dict[str, Any]:
    """The standard library's reading of a payload orjson accepted: big integers exact, and
    InvalidEvent for a key given twice (no deeper than `_MAX_DEPTH`, well within its reach)."""
    strict = json.loads(data, object_pairs_hook=_unique)
    return strict if isinstance(strict, dict) else read


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            shown = key if len(key) <= _MAX_FIELD else key[:_MAX_FIELD] + "…"
            raise InvalidEvent(shown, "appears twice in one object (JSON keys must be unique)")
        seen.add(key)
    return dict(pairs)
