"""Bytes to an event object: refusals in JSON's words, big integers as written, duplicate keys."""
from datetime import timezone

import pytest

from streams.envelope import parse_event
from streams.exceptions import InvalidEvent
from streams.payload import decode


def refusal(payload: bytes) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(decode(payload), tz=timezone.utc, currency="USD")
    return caught.value


WON = (b'{"event_id": "e1", "type": "deal.won", "occurred_at": "2017-05-02", "source": "t", '
       b'"deal_id": "D1", "rep_id": "amy", "amount": %s}')


@pytest.mark.parametrize("payload, words", [(b"{nope", "not JSON"), (b"[1, 2]", "JSON object")])
def test_undecodable_payloads_are_refused(payload, words):
    with pytest.raises(InvalidEvent, match=words) as caught:
        decode(payload)
    assert caught.value.field == "payload"


def test_a_payload_that_is_not_utf8_names_the_byte_offset():
    with pytest.raises(InvalidEvent, match=r"is not UTF-8 at byte 5 \(0xff: invalid start byte\)"):
        decode(b'{"a":\xff}')


@pytest.mark.parametrize("payload, kind", [(b"null", "null"), (b"1.5", "a number"), (b"7", "a number"),
                                           (b'"deal"', "a string"), (b"true", "true"), (b"[]", "an array")])
def test_a_payload_that_is_no_object_is_named_by_its_json_type(payload, kind):
    with pytest.raises(InvalidEvent) as caught:
        decode(payload)
    assert caught.value.reason == f"must be a JSON object, got {kind}"


def test_an_integer_past_64_bits_is_shown_as_written_not_as_a_float():
    error = refusal(WON % b"100000000000000000000")
    assert (error.field, error.reason) == (
        "amount", "JSON number 100000000000000000000 has more than 15 digits; send a string")


def test_an_integer_past_64_bits_is_read_exactly():
    assert decode(b'{"n": 123456789012345678901234567890}')["n"] == 123456789012345678901234567890


@pytest.mark.parametrize("payload, key", [
    (b'{"event_id": "a", "type": "deal.won", "event_id": "b"}', "event_id"),
    (b'{"event_id": "a", "splits": [{"rep_id": "x", "share": "0.5", "share": "1"}]}', "share"),
    (b'{"event_id": "a", "event\\u005fid": "b"}', "event_id"),  # an escaped spelling of the same key
])
def test_a_key_given_twice_is_refused_naming_the_key(payload, key):
    with pytest.raises(InvalidEvent) as caught:
        decode(payload)
    assert (caught.value.field, caught.value.reason) == (key, "appears twice in one object (JSON keys must be unique)")


def test_the_same_key_in_sibling_objects_and_as_a_value_is_not_a_duplicate():
    payload = (b'{"rep_id": "amy", "kind": "rep_id", "splits": [{"rep_id": "amy", "share": "0.5"},'
               b' {"rep_id": "bo", "share": "0.5"}]}')
    assert decode(payload)["splits"][1] == {"rep_id": "bo", "share": "0.5"}


def nested(levels: int) -> bytes:
    """An event object whose `extra` field takes the nesting to `levels` in all."""
    inner = levels - 1
    return b'{"event_id": "e", "extra": ' + b"[" * inner + b"]" * inner + b"}"


def test_an_object_nested_64_deep_is_read():
    assert decode(nested(64))["event_id"] == "e"


@pytest.mark.parametrize("levels", [65, 1000])
def test_an_object_nested_deeper_than_64_is_refused_naming_the_payload(levels):
    with pytest.raises(InvalidEvent) as refused:
        decode(nested(levels))
    assert (refused.value.field, refused.value.reason) == ("payload", "nests objects and arrays more than 64 deep")


def test_a_deep_payload_holding_a_big_number_early_is_still_refused():
    with pytest.raises(InvalidEvent, match="more than 64 deep"):
        decode(b'{"big": 1e30, "extra": ' + b"[" * 100 + b"]" * 100 + b"}")
