"""The faust app of the distributed mode: deal and activity topics into the ledger.

Built by `build_app`, never at import time: nothing connects until a worker starts it.

Offsets follow the ledger. Each agent (concurrency 1) reads batches with `noack_take` and
acks the batch's events itself, only after the ledger transaction and the dead-letter sends
have returned; faust commits acked offsets only, so a crash before that point leaves the
batch uncommitted and Kafka delivers it again, and the ledger's idempotency (event_id)
makes the second delivery harmless. Plain `take()` would not do: it acks in a `finally`
block, which also runs when the body raises. A failed write crashes the worker
(CrashingSupervisor) rather than carry on behind an unacked gap; its supervisor restarts
it and the batch is delivered again. faust's exactly_once is not used.
"""
import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import faust
from aiokafka.errors import KafkaError, MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError
from faust.exceptions import ProducerSendError
from faust.types import EventT, StreamT, TopicT
from mode import CrashingSupervisor

from streams.batch_writer import BatchOutcome, BatchWriter
from streams.dead_letter_record import letter_record, truncated_record
from streams.exceptions import InvalidEvent
from streams.kafka_topics import Topics

__all__ = ["KafkaConfig", "build_app", "LINGER_S"]

LINGER_S = 0.25  # how long a batch waits to fill before it is written anyway
_FRAMING = 1024  # bytes of a produce request that are not the record's key and value

_log = logging.getLogger("tally.worker")

Agent = Callable[[StreamT], AsyncIterator[BatchOutcome]]


@dataclass(frozen=True)
class KafkaConfig:
    broker: str
    prefix: str
    partitions: int
    batch_size: int
    datadir: Path


def build_app(config: KafkaConfig, writer: BatchWriter, executor: Executor) -> faust.App:
    topics = Topics.named(config.prefix)
    app = faust.App(
        topics.group, broker=config.broker, datadir=str(config.datadir), autodiscover=False,
        web_enabled=False, topic_partitions=config.partitions, consumer_auto_offset_reset="earliest",
        stream_wait_empty=False,  # unacked events must not hold up a rebalance or a stop
        # A killed worker's partitions move on after 10 s (faust's default is 60 s); the
        # ledger writes run in a thread, so heartbeats keep flowing during a long batch.
        broker_session_timeout=10.0, broker_heartbeat_interval=1.0,
        key_serializer="raw", value_serializer="raw",
    )
    # internal=True: the worker creates its topics (faust creates only internal ones).
    dead_letters = app.topic(topics.dead_letters, key_type=bytes, value_type=bytes, internal=True)
    app.task(dead_letters.maybe_declare)
    limit = app.conf.producer_max_request_size - _FRAMING
    for name in (topics.deals, topics.activities):
        source = app.topic(name, key_type=bytes, value_type=bytes, internal=True)
        app.agent(source, name=f"ingest-{name}", concurrency=1,
                  supervisor_strategy=CrashingSupervisor)(
            _ingester(writer, dead_letters, executor, config.batch_size, limit))
    return app


def _ingester(writer: BatchWriter, dead_letters: TopicT, executor: Executor, batch_size: int,
              limit: int) -> Agent:
    async def ingest(stream: StreamT) -> AsyncIterator[BatchOutcome]:
        loop = asyncio.get_running_loop()
        async for events in stream.noack_take(batch_size, within=LINGER_S):  # type: ignore[attr-defined]  # not in faust's StreamT
            batch: list[EventT] = list(events)
            outcome = await loop.run_in_executor(executor, writer.write, [e.value for e in batch])
            if outcome.duplicates:  # a restart's redelivery shows here: proof it cost nothing
                _log.info("%d of %d events were already in the ledger", outcome.duplicates, len(batch))
            for refusal in outcome.refusals:
                await _dead_letter(dead_letters, batch[refusal.index], refusal.error, limit)
            for event in batch:
                await stream.ack(event)
            yield outcome
    return ingest


async def _dead_letter(topic: TopicT, event: EventT, error: InvalidEvent, limit: int) -> None:
    """Sends the refusal and waits for the broker's receipt before the event is acked.

    The record fits the producer's limit (dead_letter_record); should the broker still
    refuse its size (a topic configured smaller), the short form goes, without the key."""
    message = event.message
    raw = message.value or b""
    where = {"topic": message.topic, "partition": message.partition, "offset": message.offset}
    key = message.key
    try:
        await _send(topic, key, letter_record(raw, error, where, limit=limit - len(key or b"")))
    except (ProducerSendError, KafkaError) as failure:
        if not _too_large(failure):
            raise
        _log.warning("dead letter of %s[%d]@%d too large for the broker: sending its short form",
                     message.topic, message.partition, message.offset)
        await _send(topic, None, truncated_record(raw, error, where))


async def _send(topic: TopicT, key: bytes | None, value: bytes) -> None:
    sent = await topic.send(key=key, value=value, force=True)
    await sent


def _too_large(error: BaseException) -> bool:
    too_large = (MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError)
    return isinstance(error, too_large) or isinstance(error.__cause__, too_large)
