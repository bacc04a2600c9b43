"""The dead-letter topic's record of one refused message, bounded so that sending it cannot fail.

A refused message may be close to the broker's size limit, and JSON can escape each of its
bytes into six (a backslash becomes two, a control character `\\u0000`), so a record that
carried it whole could outgrow the limit and stop the worker on every restart. The record
carries the raw payload only while it fits `limit` bytes; otherwise it carries a prefix of
the payload with the sha256 and size of the whole, and says where the rest is: the
dead-letter store (`tally dead-letters`) keeps every refused event whole, and the source
topic keeps the message at the record's topic, partition and offset.

A payload that is not UTF-8 is kept losslessly as base64 (`payload_base64`, or
`payload_prefix_base64`), as the dead-letter store keeps such a line.
"""
import base64
import hashlib
from typing import Any

import orjson

from streams.exceptions import InvalidEvent

__all__ = ["letter_record", "truncated_record", "PREFIX_BYTES"]

PREFIX_BYTES = 4096  # characters of a text payload, or bytes of another, when it is cut
_TEXT_CHARS = 1024  # of the field and the reason, in a truncated record
NOTE = ("payload truncated: the whole event is in the dead-letter store (tally dead-letters), "
        "and the message on its source topic at this partition and offset")


def letter_record(raw: bytes, error: InvalidEvent, where: dict[str, Any], *, limit: int) -> bytes:
    """`{field, reason, topic, partition, offset, payload}`, or its truncated form past `limit`."""
    record = orjson.dumps({"field": error.field, "reason": error.reason, **where, **_payload("payload", raw)})
    return record if len(record) <= limit else truncated_record(raw, error, where)


def truncated_record(raw: bytes, error: InvalidEvent, where: dict[str, Any]) -> bytes:
    """Under 40 KB whatever the message: a prefix, the hash and size of the whole."""
    text = _text(raw)
    prefix = {"payload_prefix": text[:PREFIX_BYTES]} if text is not None else \
        {"payload_prefix_base64": base64.b64encode(raw[:PREFIX_BYTES]).decode("ascii")}
    return orjson.dumps({
        "field": error.field[:_TEXT_CHARS], "reason": error.reason[:_TEXT_CHARS], **where, **prefix,
        "payload_sha256": hashlib.sha256(raw).hexdigest(), "payload_bytes": len(raw), "note": NOTE,
    })


def _payload(name: str, raw: bytes) -> dict[str, str]:
    text = _text(raw)
    return {name: text} if text is not None else {f"{name}_base64": base64.b64encode(raw).decode("ascii")}


def _text(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
