"""A Kafka producer for inbound events: each payload to its topic and key (kafka_topics.route).

Payloads go out as given: a line that is not JSON is published too, and the worker
dead-letters it with the reason, so validation happens in one place.
"""
from collections import Counter
from collections.abc import Iterable

import orjson
from aiokafka import AIOKafkaProducer

from streams.kafka_topics import Topics, route

__all__ = ["publish", "bootstrap_servers"]


def bootstrap_servers(broker: str) -> list[str]:
    """faust's broker URL (`kafka://h1:9092;kafka://h2:9092`) as aiokafka's host:port list."""
    return [part.strip().removeprefix("kafka://") for part in broker.replace(",", ";").split(";")
            if part.strip()]


async def publish(broker: str, topics: Topics, payloads: Iterable[bytes]) -> Counter[str]:
    """Sends every payload, waits for every receipt (acks=all), returns counts per topic."""
    sent: Counter[str] = Counter()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(broker), acks="all",
                                linger_ms=5, max_batch_size=256 * 1024)
    await producer.start()
    try:
        receipts = []
        for payload in payloads:
            topic, key = route(topics, _json_or_none(payload))
            receipts.append(await producer.send(topic, payload, key=key))
            sent[topic] += 1
        for receipt in receipts:
            await receipt
    finally:
        await producer.stop()
    return sent


def _json_or_none(payload: bytes) -> object:
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
