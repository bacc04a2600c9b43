"""`tally worker` and `tally publish`: the Kafka side of the distributed mode.

The worker writes into the same ledger and dead-letter store the other commands read
(bootstrap), one transaction per batch, through a single writer thread.
"""
import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import faust
import orjson

from streams.batch_writer import BatchWriter
from streams.crm_export import read_export
from streams.kafka_app import KafkaConfig, build_app
from streams.kafka_topics import Topics
from streams.publisher import publish
from tally.bootstrap import embedded, open_ledger
from tally.plan_files import plan_events
from tally.settings import Settings

__all__ = ["run_worker", "publish_file"]


def run_worker(settings: Settings) -> None:
    """Runs until SIGTERM/SIGINT; exits non-zero when an agent crashes (a failed write)."""
    app = embedded(settings)
    config = KafkaConfig(broker=settings.kafka, prefix=settings.kafka_prefix,
                         partitions=settings.kafka_partitions, batch_size=settings.batch_size,
                         datadir=settings.state / "faust")
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger")
    worker_app = build_app(config, BatchWriter(app.writer, app.door), writer)
    faust.Worker(worker_app, loglevel="info").execute_from_commandline()


def publish_file(settings: Settings, path: Path) -> dict[str, Any]:
    """A CRM export directory, a plan file (TOML) or a JSON-lines file of inbound events, sent
    to the topics. A plan file's version is decided against the configured ledger. A payload
    Kafka cannot take (over its message size limit) is not sent: `unsent` names its line
    (or, for an export or a plan, its place among the events), and the rest still go."""
    about: dict[str, Any] = {"source": str(path)}
    where = "event"
    if path.suffix == ".toml":
        numbered = list(enumerate(orjson.dumps(e) for e in plan_events(path, open_ledger(settings))))
    elif path.is_dir():
        reading = read_export(path)
        numbered = list(enumerate(orjson.dumps(e) for e in reading.events))
        about |= {"rows_refused": len(reading.rejected), "refusals": [
            {"field": d.field, "reason": d.reason, "payload": d.payload} for d in reading.rejected]}
    else:
        where, numbered = "line", list(_lines(path))
    topics = Topics.named(settings.kafka_prefix)
    done = asyncio.run(publish(settings.kafka, topics, [payload for _, payload in numbered]))
    unsent = [{where: numbered[u.index][0], "bytes": u.size, "reason": u.reason} for u in done.unsent]
    return {**about, "published": sum(done.topics.values()), "topics": dict(done.topics),
            "refused": len(unsent), "unsent": unsent}


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Every non-blank line with its number (from 1)."""
    with path.open("rb") as f:
        yield from ((number, line.strip()) for number, line in enumerate(f, start=1) if line.strip())
