"""One batch of Kafka message values becomes one ledger transaction.

Synchronous on purpose, like the ledger: the faust agents run it in a worker thread so the
event loop (and with it the Kafka consumer's heartbeat) keeps running during the write.
"""
from collections.abc import Sequence
from dataclasses import dataclass

from domain.exceptions import FactRefused
from domain.facts import Fact
from domain.ledger import Ledger
from streams.envelope import decode
from streams.exceptions import InvalidEvent
from streams.ingest import Door

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

    def __init__(self, ledger: Ledger, door: Door) -> None:
        self._ledger = ledger
        self._door = door

    def write(self, values: Sequence[bytes | None]) -> BatchOutcome:
        facts: list[Fact] = []
        indexes: dict[int, int] = {}  # id(fact) -> its value's index in the batch
        refusals: list[Refusal] = []
        for index, value in enumerate(values):
            outcome = self._admit(value or b"")
            if isinstance(outcome, InvalidEvent):
                refusals.append(Refusal(index, outcome))
            else:
                facts.append(outcome)
                indexes[id(outcome)] = index

        def refuse(fact: Fact, refusal: FactRefused) -> None:
            self._door.refuse_fact(fact, refusal)
            refusals.append(Refusal(indexes[id(fact)], InvalidEvent(refusal.field, refusal.reason)))

        refused_at_the_door = len(refusals)
        new = self._ledger.record(facts, refuse) if facts else 0
        duplicates = len(facts) - new - (len(refusals) - refused_at_the_door)
        return BatchOutcome(len(facts), new, duplicates, sorted(refusals, key=lambda r: r.index))

    def _admit(self, value: bytes) -> Fact | InvalidEvent:
        try:
            raw = decode(value)
        except InvalidEvent as error:
            self._door.refuse({"text": value.decode("utf-8", "replace")}, error)
            return error
        return self._door.admit_one(raw)
