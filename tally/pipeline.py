"""The embedded pipeline: raw events through the door, into the ledger, out to the views.

Facts are fed in business order, one ledger transaction per batch. The process that holds
the state's projector lock projects after each batch; any other process only writes, and
the holder projects its facts. An optional rate (events per second) paces a live demo.
"""
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.exceptions import FactRefused
from domain.facts import Fact
from projections.projector import Projector
from streams.ingest import batches, business_order
from tally.bootstrap import Embedded

__all__ = ["IngestReport", "ingest", "ingest_once", "hand_back"]


@dataclass
class IngestReport:
    """This run's counts: events_read == events_ingested + duplicates + refused."""

    events_read: int
    events_ingested: int
    duplicates: int
    refused: int
    elapsed_s: float
    projector: str | None = None  # who projects this run's facts when it is another process


def ingest(app: Embedded, raws: list[dict[str, Any]], *, batch_size: int, projector: Projector | None,
           rate: float | None = None, on_batch: Callable[[int], object] | None = None,
           stop: threading.Event | None = None) -> IngestReport:
    """Feeds the events in business order, projecting after each batch when given a projector;
    `stop` ends the feed after the current batch."""
    started = time.monotonic()
    screened = app.door.screen(raws)
    facts = business_order(screened.facts)
    refused_by_ledger: set[int] = set()  # a retried batch may refuse a fact again: count it once

    def refuse(fact: Fact, refusal: FactRefused) -> None:
        app.door.ledger_refused(screened.raw_of(fact), refusal)
        refused_by_ledger.add(id(fact))

    size = batch_size if rate is None else max(1, min(batch_size, int(rate // 10)))
    new = done = 0
    for batch in batches(facts, size):
        if stop is not None and stop.is_set():
            break
        new += app.writer.record(batch, refuse)
        if projector is not None:
            projector.catch_up()
        done += len(batch)
        if on_batch:
            on_batch(len(batch))
        if rate:
            time.sleep(max(0.0, started + done / rate - time.monotonic()))
    refused = screened.refused + len(refused_by_ledger)
    return IngestReport(screened.refused + done, new, done - new - len(refused_by_ledger), refused,
                        round(time.monotonic() - started, 3))


def ingest_once(app: Embedded, raws: list[dict[str, Any]]) -> IngestReport:
    """Writes everything as fast as it can, projecting it unless another process is the projector."""
    projector = app.projector()
    report = ingest(app, raws, batch_size=app.settings.batch_size, projector=projector)
    report.projector = hand_back(app, projector)
    return report


def hand_back(app: Embedded, projector: Projector | None) -> str | None:
    """Projects what is left and lets the lock go. Looks at the ledger again after letting
    go, so a write that another process made while this one held the lock is not left
    unprojected. Returns who projects the rest instead, or None when all is projected."""
    while True:
        projector = projector or app.projector()
        if projector is None:
            return app.lock.holder()
        projector.catch_up()
        app.lock.release()
        if not projector.pending():
            return None
        projector = None
