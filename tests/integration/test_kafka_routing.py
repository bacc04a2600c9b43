"""`tally publish` routes each event to its topic and key on the real broker."""
import asyncio

import orjson
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from streams.publisher import bootstrap_servers
from tests.helpers import activity, deal, plan, rep


async def create_topics(broker: str, names: list[str], partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(broker))
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, partitions, 1) for n in names])
    finally:
        await admin.close()


def test_deal_events_are_keyed_by_deal_and_activity_and_rep_events_by_rep(kafka_run, tmp_path):
    topics = kafka_run.topics
    asyncio.run(create_topics(kafka_run.broker, [topics.deals, topics.activities], partitions=4))
    quota = {"event_id": "t:quota:cy", "type": "quota.set", "occurred_at": "2017-01-01", "source": "test",
             "rep_id": "cy", "period": "2017-Q1", "amount": "1000"}
    credited = {"event_id": "t:D1:cn1", "type": "deal.credited", "occurred_at": "2017-03-01", "source": "test",
                "deal_id": "D1", "credit_note_id": "cn1", "amount": "5"}
    events = [deal("opened", "D1", "2017-01-02", rep="amy"), deal("opened", "D2", "2017-01-02", rep="amy"),
              deal("won", "D1", "2017-02-03", rep="bo", amount="10"), credited, activity(1, "amy", "call", "2017-01-05"),
              rep("bo", "Mo", "West"), quota, *plan("demo", [["0", "0.08"]])]
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\n".join([*map(orjson.dumps, events), b"{not json"]))
    kafka_run.publish(feed)

    messages = kafka_run.read([topics.deals, topics.activities], len(events) + 1)
    routed = {(m.value if m.value == b"{not json" else orjson.loads(m.value)["event_id"].encode()): (m.topic, m.key)
              for m in messages}
    assert routed == {
        b"t:D1:opened": (topics.deals, b"D1"), b"t:D2:opened": (topics.deals, b"D2"),
        b"t:D1:won": (topics.deals, b"D1"), b"t:D1:cn1": (topics.deals, b"D1"),
        b"t:act:1": (topics.activities, b"amy"), b"t:rep:bo": (topics.activities, b"bo"),
        b"t:quota:cy": (topics.activities, b"cy"), b"t:plan:demo:v1": (topics.activities, None),
        b"t:plan:demo:company:2016-10-01": (topics.activities, None), b"{not json": (topics.activities, None)}
    assert len({m.partition for m in messages if m.key == b"D1"}) == 1  # a deal's facts stay in one partition
