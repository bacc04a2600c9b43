"""The embedded pipeline: raw events through the door, into the ledger, out to the views.

Facts are fed in business order, one ledger transaction per batch, and the projector
catches up after each batch. An optional rate (events per second) paces a live demo.
"""
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from streams.ingest import batches, business_order
from tally.bootstrap import Embedded

__all__ = ["IngestReport", "ingest"]


@dataclass
class IngestReport:
    events_read: int
    events_ingested: int
    duplicates: int
    refused: int
    elapsed_s: float


def ingest(app: Embedded, raws: list[dict[str, Any]], *, batch_size: int, rate: float | None = None,
           on_batch: Callable[[int], None] | None = None, stop: threading.Event | None = None) -> IngestReport:
    """Feeds the events in business order; `stop` ends the feed after the current batch."""
    started = time.monotonic()
    facts = business_order(app.door.admit(raws))
    refused = len(raws) - len(facts)
    projector = app.projector()
    projector.catch_up()
    size = batch_size if rate is None else max(1, min(batch_size, int(rate // 10)))
    new = done = 0
    for batch in batches(facts, size):
        if stop is not None and stop.is_set():
            break
        new += app.ledger.record(batch, app.door.refuse_fact)
        projector.catch_up()
        done += len(batch)
        if on_batch:
            on_batch(len(batch))
        if rate:
            time.sleep(max(0.0, started + done / rate - time.monotonic()))
    return IngestReport(len(raws), new, len(facts) - new, refused, round(time.monotonic() - started, 3))
