"""A Kafka batch with a malformed plan in it: one refusal, the rest written (no crash to redeliver)."""
import json
from datetime import timezone

import orjson

from domain.ledger import Ledger
from streams.batch_writer import BatchWriter
from streams.deadletter import MemoryDeadLetters
from streams.ingest import Door
from tests.helpers import deal


def test_a_plan_tier_without_a_rate_is_one_refusal_and_the_batch_around_it_is_written():
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    writer = BatchWriter(ledger, Door(MemoryDeadLetters(), tz=timezone.utc, currency="USD"))
    bad = {"event_id": "k:plan", "type": "plan.published", "occurred_at": "2017-01-01", "source": "k",
           "plan_id": "p", "version": 1, "effective_from": "2017-01-01", "tiers": [{"floor": "0"}]}
    outcome = writer.write([orjson.dumps(deal("opened", "D1", "2017-01-01")), orjson.dumps(bad),
                            orjson.dumps(deal("opened", "D2", "2017-01-02"))])
    assert (outcome.facts, outcome.new) == (2, 2)
    assert [(r.index, r.error.field, r.error.reason) for r in outcome.refusals] == [(1, "tiers[0].rate", "is missing")]


def test_an_event_refused_for_an_integer_past_64_bits_is_kept_as_json_with_the_integer_exact():
    letters = MemoryDeadLetters()
    writer = BatchWriter(Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}),
                         Door(letters, tz=timezone.utc, currency="USD"))
    value = orjson.dumps(deal("won", "D1", "2017-01-01", amount="1")).replace(b'"1"', b"100000000000000000001")
    writer.write([value])
    [letter] = letters.all()
    assert json.loads(letter.payload)["amount"] == 100000000000000000001


def test_a_record_nested_a_thousand_deep_is_one_refusal_and_the_batch_around_it_is_written():
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    writer = BatchWriter(ledger, Door(MemoryDeadLetters(), tz=timezone.utc, currency="USD"))
    deep = b'{"event_id": "k:deep", "type": "deal.won", "amount": "x", "extra": ' + b"[" * 999 + b"]" * 999 + b"}"
    outcome = writer.write([orjson.dumps(deal("opened", "D1", "2017-01-01")), deep,
                            orjson.dumps(deal("opened", "D2", "2017-01-02"))])
    assert (outcome.facts, outcome.new) == (2, 2)
    assert [(r.index, r.error.field, r.error.reason) for r in outcome.refusals] == [
        (1, "payload", "nests objects and arrays more than 64 deep")]
