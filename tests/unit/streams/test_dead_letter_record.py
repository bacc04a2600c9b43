"""The dead-letter topic's record: the payload whole while it fits, else a bounded summary."""
import base64
import hashlib

import orjson

from streams.dead_letter_record import letter_record, truncated_record
from streams.exceptions import InvalidEvent

WHERE = {"topic": "t.deals", "partition": 1, "offset": 41}
REFUSED = InvalidEvent("event_id", "must be at most 256 characters, got 300000")
LIMIT = 1_000_000 - 1024


def test_a_record_that_fits_carries_the_payload_whole_with_where_it_came_from():
    record = orjson.loads(letter_record(b'{"type": "deal.won"}', REFUSED, WHERE, limit=LIMIT))
    assert record == {"field": "event_id", "reason": "must be at most 256 characters, got 300000",
                      "topic": "t.deals", "partition": 1, "offset": 41, "payload": '{"type": "deal.won"}'}


def test_a_payload_that_is_not_utf8_is_kept_as_base64_of_its_exact_bytes():
    raw = b'{"rep_id": "\xff\xfe"}'
    record = orjson.loads(letter_record(raw, REFUSED, WHERE, limit=LIMIT))
    assert "payload" not in record
    assert base64.b64decode(record["payload_base64"]) == raw


def test_a_payload_whose_escaped_record_passes_the_limit_is_cut_to_a_prefix_with_hash_and_size():
    raw = b'{"event_id": "' + b"\\\\" * 300_000 + b'", "type": "deal.won"}'  # each \\ escapes to \\\\
    encoded = letter_record(raw, REFUSED, WHERE, limit=LIMIT)
    record = orjson.loads(encoded)
    assert len(encoded) < 40_000
    assert record["payload_prefix"] == raw[:4096].decode()
    assert record["payload_sha256"] == hashlib.sha256(raw).hexdigest()
    assert record["payload_bytes"] == 600_036
    assert "dead-letter store" in record["note"]
    assert (record["field"], record["topic"], record["partition"], record["offset"]) == ("event_id", "t.deals", 1, 41)


def test_a_cut_text_payload_never_splits_a_character():
    raw = "é".encode() * 5000  # 2 bytes each: the prefix is 4,096 characters, 8,192 bytes
    record = orjson.loads(truncated_record(raw, REFUSED, WHERE))
    assert record["payload_prefix"] == "é" * 4096


def test_a_cut_payload_that_is_not_utf8_keeps_its_first_bytes_as_base64():
    raw = b"\xff" * 10_000
    record = orjson.loads(truncated_record(raw, REFUSED, WHERE))
    assert base64.b64decode(record["payload_prefix_base64"]) == b"\xff" * 4096
    assert record["payload_bytes"] == 10_000


def test_a_huge_reason_is_cut_in_the_short_form():
    refusal = InvalidEvent("amount", "x" * 500_000)
    record = orjson.loads(truncated_record(b"{}", refusal, WHERE))
    assert record["reason"] == "x" * 1024
