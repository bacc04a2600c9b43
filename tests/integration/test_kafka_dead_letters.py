"""Malformed messages on the real broker: dead-lettered with a reason, the good ones all ingested."""
import hashlib

import orjson

from tally.bootstrap import embedded
from tests.helpers import activity, deal, rep

GOOD_RECORDS = 9  # the ledger records of the five good events (the same in an embedded run)


def test_malformed_messages_land_on_the_dead_letter_topic_and_the_good_ones_around_them_are_ingested(
        kafka_run, tmp_path):
    good = [rep("amy", "Mo", "West"), deal("opened", "D1", "2017-01-02"),
            deal("won", "D1", "2017-02-03", amount="1200.50"), activity(1, "amy", "call", "2017-01-05"),
            deal("opened", "D2", "2017-01-04")]
    bad = [b"{not json", orjson.dumps(deal("won", "D3", "2017-02-03")),  # won without amount
           orjson.dumps({**deal("opened", "D4", "2017-01-01"), "type": "deal.teleported"})]
    lines = [orjson.dumps(good[0]), bad[0], *map(orjson.dumps, good[1:3]), bad[1],
             orjson.dumps(good[3]), bad[2], orjson.dumps(good[4])]
    feed = tmp_path / "mixed.jsonl"
    feed.write_bytes(b"\n".join(lines))
    kafka_run.start_worker()
    kafka_run.publish(feed)

    letters = kafka_run.read([kafka_run.topics.dead_letters], 3)
    by_field = {orjson.loads(m.value)["field"]: orjson.loads(m.value) | {"key": m.key} for m in letters}
    assert set(by_field) == {"payload", "amount", "type"}
    assert by_field["payload"]["payload"] == "{not json" and "not JSON" in by_field["payload"]["reason"]
    assert by_field["amount"]["key"] == b"D3" and orjson.loads(by_field["amount"]["payload"])["deal_id"] == "D3"
    assert "deal.teleported" in by_field["type"]["reason"]

    kafka_run.settled(len(lines))
    assert kafka_run.recorded() == GOOD_RECORDS
    ledger = kafka_run.ledger()
    assert ledger.deal("D1").outcome["status"] == "won"
    assert ledger.deal("D2").outcome["status"] == "open"
    stored = embedded(kafka_run.settings).door.dead_letters.all()
    assert {d.field for d in stored} == {"payload", "amount", "type"}


def test_a_dead_letter_too_large_to_send_whole_is_cut_and_the_worker_goes_on_to_the_next_event(
        kafka_run, tmp_path):
    # 600,036 bytes, under the 1 MB message limit; escaped in a JSON record it would be 1.2 MB
    bad = b'{"event_id": "' + b"\\\\" * 300_000 + b'", "type": "deal.won"}'
    feed = tmp_path / "huge.jsonl"
    feed.write_bytes(bad + b"\n" + orjson.dumps(rep("amy", "Mo", "West")) + b"\n")
    kafka_run.start_worker()
    kafka_run.publish(feed)

    [letter] = kafka_run.read([kafka_run.topics.dead_letters], 1)
    record = orjson.loads(letter.value)
    assert (record["field"], record["payload_bytes"]) == ("event_id", 600_036)
    assert record["payload_sha256"] == hashlib.sha256(bad).hexdigest()
    assert record["payload_prefix"] == bad[:4096].decode()
    kafka_run.settled(2)
    assert kafka_run.event_ids() == {"t:rep:amy"}
    [stored] = embedded(kafka_run.settings).door.dead_letters.all()
    assert orjson.loads(stored.payload) == orjson.loads(bad)  # the whole event, in the store
