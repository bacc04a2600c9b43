"""A Kafka producer for inbound events: each payload to its topic and key (kafka_topics.route).

Payloads go out as given: a line that is not JSON is published too, and the worker
dead-letters it with the reason, so validation happens in one place. The one thing checked
here is what Kafka itself refuses: a payload over the message size limit is not sent and
comes back as `Unsent` (the caller names its line), and the payloads around it still go.
"""
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.errors import MessageSizeTooLargeError, RecordListTooLargeError

from streams.kafka_topics import Topics, route

__all__ = ["publish", "bootstrap_servers", "Published", "Unsent", "MAX_MESSAGE_BYTES"]

MAX_MESSAGE_BYTES = 1_048_576  # aiokafka's max_request_size, just under Kafka's message.max.bytes
_TOO_LARGE = (MessageSizeTooLargeError, RecordListTooLargeError)


@dataclass(frozen=True)
class Unsent:
    index: int  # position of the payload among those given
    size: int  # bytes
    reason: str


@dataclass
class Published:
    topics: Counter[str] = field(default_factory=Counter)  # messages sent per topic
    unsent: list[Unsent] = field(default_factory=list)


def bootstrap_servers(broker: str) -> list[str]:
    """faust's broker URL (`kafka://h1:9092;kafka://h2:9092`) as aiokafka's host:port list."""
    return [part.strip().removeprefix("kafka://") for part in broker.replace(",", ";").split(";")
            if part.strip()]


async def publish(broker: str, topics: Topics, payloads: Iterable[bytes]) -> Published:
    """Sends every payload Kafka accepts and waits for every receipt (acks=all)."""
    done = Published()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(broker), acks="all",
                                linger_ms=5, max_batch_size=256 * 1024, max_request_size=MAX_MESSAGE_BYTES)
    cluster_log = logging.getLogger("aiokafka.cluster")
    cluster_log.addFilter(_expected_noise)
    try:
        await producer.start()
        receipts = []
        for index, payload in enumerate(payloads):
            topic, key = route(topics, _json_or_none(payload))
            try:
                receipts.append((index, payload, topic, await producer.send(topic, payload, key=key)))
            except _TOO_LARGE:
                done.unsent.append(Unsent(index, len(payload), f"{len(payload)} bytes, over Kafka's limit "
                                                               f"of {MAX_MESSAGE_BYTES} bytes per message"))
        for index, payload, topic, receipt in receipts:
            try:
                await receipt
            except _TOO_LARGE:  # a broker or topic configured below our limit
                done.unsent.append(Unsent(index, len(payload), "the broker refused it as too large"))
            else:
                done.topics[topic] += 1
    finally:
        await producer.stop()
        cluster_log.removeFilter(_expected_noise)
    done.unsent.sort(key=lambda u: u.index)
    return done


def _expected_noise(record: logging.LogRecord) -> bool:
    """aiokafka logs an error for each topic the broker has not created yet, which is what
    happens on a topic's first use; a topic that never comes fails the send itself."""
    return record.msg != "Topic %s not found in cluster metadata"


def _json_or_none(payload: bytes) -> object:
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
