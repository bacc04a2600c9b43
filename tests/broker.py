"""Kafka in the tests: the broker of TALLY_KAFKA, one topic prefix per test, real `tally worker`
and `tally publish` processes, and the broker's own word on what the worker has committed.

Test modules get the fixtures by importing them (the integration conftest does it for its
suite). `worker_settings` picks the worker's ledger: SQLite under the test's state
directory, or (`indirect` parameter "postgres", or a module's own override) PostgreSQL in
the test's own schema.
"""
import asyncio
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from domain.ledger import Ledger
from projections.memory_store import MemoryViewStore
from projections.projector import Projector
from streams.kafka_topics import Topics
from streams.publisher import bootstrap_servers
from tally.bootstrap import open_ledger, scoring_rules
from tally.settings import Settings
from tests.conftest import settings_env
from tests.e2e.conftest import TALLY
from tests.helpers import ledger_records, view_dump

BROKER = os.environ.get("TALLY_KAFKA", "kafka://127.0.0.1:9092")
_REDELIVERED = re.compile(rb"(\d+) of \d+ events were already in the ledger")


@pytest.fixture(scope="session")
def kafka() -> str:
    """The broker `make test` starts (scripts/kafka.sh up); a missing one fails, never skips."""
    host, _, port = bootstrap_servers(BROKER)[0].rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except OSError as error:
        pytest.fail(f"no Kafka broker at {BROKER} ({error}); run scripts/kafka.sh up or set TALLY_KAFKA")
    return BROKER


@pytest.fixture
def worker_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if getattr(request, "param", "sqlite") == "postgres":
        return request.getfixturevalue("server_settings")  # type: ignore[no-any-return]
    return Settings.from_env(state=str(tmp_path / "state"))


@pytest.fixture
def kafka_run(kafka: str, worker_settings: Settings, tmp_path: Path) -> Iterator["KafkaRun"]:
    """This test's topics, consumer group and worker; afterwards the worker is killed and
    the topics deleted."""
    run = KafkaRun(kafka, worker_settings, tmp_path)
    yield run
    run.kill_worker()
    asyncio.run(delete_topics(kafka, run.prefix))


class KafkaRun:
    def __init__(self, broker: str, settings: Settings, tmp: Path) -> None:
        self.broker, self.settings = broker, settings
        self.prefix = f"t{uuid.uuid4().hex[:10]}"
        self.topics = Topics.named(self.prefix)
        self.log = tmp / "worker.log"
        self.env = {**settings_env(settings), "TALLY_KAFKA": broker, "TALLY_KAFKA_PREFIX": self.prefix,
                    "TALLY_KAFKA_PARTITIONS": "2", "TALLY_PORT": "0"}
        self.worker: subprocess.Popen[bytes] | None = None
        self._ledger: Ledger | None = None

    def start_worker(self) -> None:
        with self.log.open("ab") as log:
            self.worker = subprocess.Popen([*TALLY, "worker"], env=self.env, stdout=log, stderr=log)

    def kill_worker(self, sig: int = signal.SIGKILL) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.send_signal(sig)
            self.worker.wait(timeout=30)
        self.worker = None

    def publish(self, source: Path) -> dict[str, Any]:
        """`tally publish`; a plan file's version is decided against the worker's ledger."""
        done = subprocess.run([*TALLY, "publish", str(source), "--json"], env=self.env,
                              capture_output=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr.decode()
        return orjson.loads(done.stdout)  # type: ignore[no-any-return]

    def wait(self, done: Callable[[], bool], what: str, timeout: float = 120, every: float = 0.05) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert self.worker is None or self.worker.poll() is None, \
                f"the worker exited:\n{self.log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(every)

    def backlog(self) -> tuple[int, int]:
        """(messages on the deal and activity topics, of which the group has not committed)."""
        return asyncio.run(backlog(self.broker, self.topics))

    def settled(self, published: int) -> None:
        """Waits until the broker says the worker's group committed all `published` messages."""
        self.wait(lambda: self.backlog() == (published, 0), f"the worker to commit {published} messages",
                  every=0.25)

    def ledger(self) -> Ledger:
        if self._ledger is None:
            self._ledger = open_ledger(self.settings)
        return self._ledger

    def ledger_head(self) -> int:
        """The last notification id: cheap progress (PostgreSQL ids may have gaps)."""
        return self.ledger().recorder.max_notification_id() or 0

    def recorded(self) -> int:
        """How many records the ledger holds, counted one by one."""
        return len(ledger_records(self.ledger()))

    def event_ids(self) -> set[str]:
        """The inbound event ids the ledger holds (every fact it followed carries its own)."""
        events = map(self.ledger().mapper.to_domain_event, ledger_records(self.ledger()))
        return {e.fact["event_id"] for e in events if hasattr(e, "fact")}

    def views(self) -> dict[str, Any]:
        """Every view, projected from the worker's ledger into a fresh in-memory store."""
        store = MemoryViewStore()
        Projector(self.ledger(), store, scoring_rules(self.settings)).catch_up()
        return view_dump(store)

    def uncommitted(self) -> list[bytes]:
        return asyncio.run(uncommitted(self.broker, self.topics))

    def read(self, topics: list[str], count: int) -> list[ConsumerRecord[bytes, bytes]]:
        """The first `count` messages of `topics`, from the beginning."""
        return asyncio.run(read(self.broker, topics, count))

    def redelivered(self) -> int:
        """Events the worker reported as already in the ledger, over all its runs."""
        return sum(int(n) for n in _REDELIVERED.findall(self.log.read_bytes()))


async def backlog(broker: str, topics: Topics) -> tuple[int, int]:
    async with _Group(broker, topics) as group:
        return sum(group.ends.values()), sum(group.ends[p] - group.committed[p] for p in group.parts)


async def read(broker: str, topics: list[str], count: int) -> list[ConsumerRecord[bytes, bytes]]:
    consumer = AIOKafkaConsumer(*topics, bootstrap_servers=bootstrap_servers(broker),
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    try:
        messages: list[ConsumerRecord[bytes, bytes]] = []
        async with asyncio.timeout(60):
            while len(messages) < count:
                for batch in (await consumer.getmany(timeout_ms=1000)).values():
                    messages += batch
        return messages
    finally:
        await consumer.stop()


async def uncommitted(broker: str, topics: Topics) -> list[bytes]:
    """The values past the group's committed offsets: what a restarted worker gets again."""
    async with _Group(broker, topics) as group:
        consumer = group.consumer
        consumer.assign(group.parts)
        for part in group.parts:
            consumer.seek(part, group.committed[part])
        values: list[bytes] = []
        left = {p: group.ends[p] - group.committed[p] for p in group.parts}
        while any(left.values()):
            for part, messages in (await consumer.getmany(timeout_ms=1000)).items():
                values += [m.value for m in messages]
                left[part] -= len(messages)
        return values


class _Group:
    """The worker group's committed offsets and the topics' end offsets, from the broker."""

    def __init__(self, broker: str, topics: Topics) -> None:
        servers = bootstrap_servers(broker)
        self.topics = topics
        self.admin = AIOKafkaAdminClient(bootstrap_servers=servers)
        self.consumer = AIOKafkaConsumer(bootstrap_servers=servers, enable_auto_commit=False)

    async def __aenter__(self) -> "_Group":
        await self.admin.start()
        await self.consumer.start()
        described = await self.admin.describe_topics([self.topics.deals, self.topics.activities])
        self.parts = [TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"]]
        offsets = await self.admin.list_consumer_group_offsets(self.topics.group, partitions=self.parts)
        self.committed = {p: max(offsets[p].offset, 0) for p in self.parts}  # -1: nothing committed yet
        self.ends = await self.consumer.end_offsets(self.parts)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.consumer.stop()
        await self.admin.close()


async def delete_topics(broker: str, prefix: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(broker))
    await admin.start()
    try:
        mine = [t for t in await admin.list_topics() if t.startswith((f"{prefix}.", f"{prefix}-"))]
        if mine:
            await admin.delete_topics(mine)
    finally:
        await admin.close()
