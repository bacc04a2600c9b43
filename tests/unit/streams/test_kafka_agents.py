"""The ingest agents under faust's test context: no broker, an in-memory ledger."""
import asyncio
import base64
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timezone
from pathlib import Path
from typing import Any

import faust
from aiokafka.errors import MessageSizeTooLargeError
from faust.exceptions import ProducerSendError
from faust.topics import Topic
import orjson
import pytest

from domain.ledger import Ledger
from streams.batch_writer import BatchOutcome, BatchWriter
from streams.deadletter import MemoryDeadLetters
from streams.ingest import Door
from streams.kafka_app import KafkaConfig, build_app
from tests.helpers import activity, deal

DEALS = "t.deals"


class Sent(list):
    """Records what the agents send to the dead-letter topic instead of a broker."""

    async def send(self, topic: faust.types.TopicT, **message: Any) -> Awaitable[None]:
        self.append((topic.get_topic_name(), message))
        done = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


class CountingLedger(Ledger):
    writes = 0

    def record(self, facts, refuse=None):  # type: ignore[no-untyped-def]
        self.writes += 1
        return super().record(facts, refuse)


class FailingLedger(Ledger):
    def record(self, facts, refuse=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")


@pytest.fixture
def sent(monkeypatch) -> Sent:
    sent = Sent()
    monkeypatch.setattr(Topic, "send", lambda topic, **kw: sent.send(topic, **kw))
    return sent


def make(tmp_path: Path, ledger: Ledger | None = None) -> tuple[faust.App, Ledger, MemoryDeadLetters]:
    ledger = ledger or Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    letters = MemoryDeadLetters()
    writer = BatchWriter(ledger, Door(letters, tz=timezone.utc, currency="USD"))
    config = KafkaConfig(broker="kafka://127.0.0.1:1", prefix="t", partitions=1, batch_size=3,
                         datadir=tmp_path)
    return build_app(config, writer, ThreadPoolExecutor(1)), ledger, letters


@pytest.fixture(autouse=True)
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """faust binds the app to the current loop when it is built: one fresh loop per test."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)
    loop.close()


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.get_event_loop().run_until_complete(asyncio.wait_for(test(), timeout=20))


async def until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.01)


def agent_of(app: faust.App):  # type: ignore[no-untyped-def]
    return app.agents[f"ingest-{DEALS}"].test_context()


def test_a_batch_is_one_ledger_write_and_its_events_are_acked_after_it(tmp_path, sent):
    ledger = CountingLedger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app, _, _ = make(tmp_path, ledger)

    async def test() -> None:
        async with agent_of(app) as agent:
            puts = [await agent.put(orjson.dumps(deal(k, "D1", "2017-01-0" + d, amount="10")), wait=False)
                    for k, d in (("opened", "1"), ("won", "2"), ("lost", "3"))]
            await until(lambda: agent.results)
            outcome: BatchOutcome = agent.results[0]
            assert (outcome.facts, outcome.new, outcome.duplicates, outcome.refusals) == (3, 3, 0, [])
            assert all(e.message.acked for e in puts)
    run(test)
    assert ledger.writes == 1
    assert ledger.deal("D1").outcome["status"] == "lost"


def test_a_partial_batch_is_written_once_the_linger_time_passes(tmp_path, sent):
    app, ledger, _ = make(tmp_path)

    async def test() -> None:
        async with agent_of(app) as agent:
            await agent.put(orjson.dumps(activity(1, "amy", "call", "2017-01-02")), wait=False)
            await until(lambda: agent.results)
            assert agent.results[0].new == 1
    run(test)


def test_a_redelivered_batch_records_nothing_new(tmp_path, sent):
    app, ledger, _ = make(tmp_path)
    value = orjson.dumps(deal("opened", "D1", "2017-01-01"))

    async def test() -> None:
        async with agent_of(app) as agent:
            await agent.put(value, wait=False)
            await until(lambda: len(agent.results) == 1)
            await agent.put(value, wait=False)
            await until(lambda: len(agent.results) == 2)
            assert [r.new for r in agent.results.values()] == [1, 0]
    run(test)


def test_a_redelivery_is_counted_and_logged_as_events_already_in_the_ledger(tmp_path, sent, caplog):
    app, ledger, _ = make(tmp_path)
    opened, won = (orjson.dumps(deal(k, "D1", d, amount="10")) for k, d in (("opened", "2017-01-01"),
                                                                            ("won", "2017-01-02")))

    async def test() -> None:
        async with agent_of(app) as agent:
            await agent.put(opened, wait=False)
            await until(lambda: len(agent.results) == 1)
            for value in (opened, won, b"{not json"):
                await agent.put(value, wait=False)
            await until(lambda: len(agent.results) == 2)
            assert [(r.new, r.duplicates) for r in agent.results.values()] == [(1, 0), (1, 1)]
    with caplog.at_level("INFO", logger="tally.worker"):
        run(test)
    assert [r.getMessage() for r in caplog.records if r.name == "tally.worker"] == [
        "1 of 3 events were already in the ledger"]


def test_malformed_values_go_to_the_dead_letter_topic_and_store_and_the_rest_is_written(tmp_path, sent):
    app, ledger, letters = make(tmp_path)

    async def test() -> None:
        async with agent_of(app) as agent:
            await agent.put(b"{not json", key=b"D9", wait=False)
            await agent.put(orjson.dumps(deal("won", "D2", "2017-01-01")), wait=False)  # no amount
            await agent.put(orjson.dumps(deal("opened", "D3", "2017-01-01")), wait=False)
            await until(lambda: agent.results)
            assert agent.results[0].new == 1
    run(test)
    assert [(name, orjson.loads(m["value"])["field"]) for name, m in sent] == [
        ("t.dead-letters", "payload"), ("t.dead-letters", "amount")]
    first = orjson.loads(sent[0][1]["value"])
    assert first["payload"] == "{not json" and "not JSON" in first["reason"]
    assert sent[0][1]["key"] == b"D9"
    assert {d.field for d in letters.all()} == {"payload", "amount"}
    assert ledger.deal("D3").outcome["status"] == "open"


def test_a_failed_ledger_write_leaves_the_batch_unacked_and_crashes_the_agent(tmp_path, sent):
    app, _, _ = make(tmp_path, FailingLedger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}))

    async def test() -> None:
        async with agent_of(app) as agent:
            event = await agent.put(orjson.dumps(deal("opened", "D1", "2017-01-01")), wait=False)
            await until(lambda: agent._crash_reason is not None)
            assert "database went away" in str(agent._crash_reason)
            assert not event.message.acked
    run(test)


def test_a_dead_letter_the_broker_finds_too_large_goes_in_its_short_form_and_the_batch_is_acked(
        tmp_path, sent, monkeypatch):
    app, ledger, _ = make(tmp_path)
    bad = orjson.dumps(deal("won", "D2", "2017-01-01") | {"account": "x" * 50_000})  # no amount

    async def refuse_large(topic: faust.types.TopicT, **message: Any) -> Awaitable[None]:
        if len(message["value"]) > 45_000:  # a topic whose max.message.bytes is lower than ours
            raise ProducerSendError("Error while sending") from MessageSizeTooLargeError()
        return await sent.send(topic, **message)
    monkeypatch.setattr(Topic, "send", lambda topic, **kw: refuse_large(topic, **kw))

    async def test() -> None:
        async with agent_of(app) as agent:
            event = await agent.put(bad, key=b"D2", wait=False)
            await agent.put(orjson.dumps(deal("opened", "D3", "2017-01-01")), wait=False)
            await until(lambda: agent.results)
            assert event.message.acked
    run(test)
    [(name, message)] = sent
    record = orjson.loads(message["value"])
    assert (name, message["key"], record["field"], record["payload_bytes"]) == ("t.dead-letters", None, "amount", len(bad))
    assert ledger.deal("D3").outcome["status"] == "open"


def test_a_dead_letter_of_a_value_that_is_not_utf8_keeps_its_bytes_as_base64(tmp_path, sent):
    app, _, _ = make(tmp_path)

    async def test() -> None:
        async with agent_of(app) as agent:
            await agent.put(b'{"type": "\xff"}', wait=False)
            await until(lambda: agent.results)
    run(test)
    record = orjson.loads(sent[0][1]["value"])
    assert base64.b64decode(record["payload_base64"]) == b'{"type": "\xff"}'
