"""One batch of Kafka message values becomes one ledger transaction.

Synchronous on purpose, like the ledger: the faust agents run it in a worker thread so the
event loop (and with it the Kafka consumer's heartbeat) keeps running during the write.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.exceptions import FactRefused
from domain.facts import Fact
from streams.deadletter import raw_line
from streams.payload import decode
from streams.exceptions import InvalidEvent
from streams.ingest import Door
from streams.writer_turns import FactWriter

__all__ = ["BatchOutcome", "BatchWriter", "Refusal"]


@dataclass(frozen=True)
class Refusal:
    index: int  # position of the refused value in the batch
    error: InvalidEvent


@dataclass(frozen=True)
class BatchOutcome:
    facts: int
    new: int  # facts the ledger had not seen
    duplicates: int  # facts the ledger already held: redelivered, or published twice
    refusals: list[Refusal]


class BatchWriter:
    """Refused values are dead-lettered in the store before the write; the caller also
    forwards them to the dead-letter topic."""

    def __init__(self, writer: FactWriter, door: Door) -> None:
        self._writer = writer
        self._door = door

    def write(self, values: Sequence[bytes | None]) -> BatchOutcome:
        facts: list[Fact] = []
        admitted: dict[int, tuple[int, dict[str, Any]]] = {}  # id(fact) -> (index, raw event)
        refusals: list[Refusal] = []
        for index, value in enumerate(values):
            outcome = self._admit(value or b"")
            if isinstance(outcome, InvalidEvent):
                refusals.append(Refusal(index, outcome))
            else:
                facts.append(outcome[0])
                admitted[id(outcome[0])] = (index, outcome[1])
        refused: set[int] = set()  # a retried batch may refuse a fact again: count it once

        def refuse(fact: Fact, refusal: FactRefused) -> None:
            index, raw = admitted[id(fact)]
            self._door.ledger_refused(raw, refusal)
            if index not in refused:
                refused.add(index)
                refusals.append(Refusal(index, InvalidEvent(refusal.field, refusal.reason)))

        refused_at_the_door = len(refusals)
        new = self._writer.record(facts, refuse) if facts else 0
        duplicates = len(facts) - new - (len(refusals) - refused_at_the_door)
        return BatchOutcome(len(facts), new, duplicates, sorted(refusals, key=lambda r: r.index))

    def _admit(self, value: bytes) -> tuple[Fact, dict[str, Any]] | InvalidEvent:
        try:
            raw = decode(value)
        except InvalidEvent as error:
            self._door.refuse(raw_line(value), error)
            return error
        outcome = self._door.admit_one(raw)
        return outcome if isinstance(outcome, InvalidEvent) else (outcome, raw)
