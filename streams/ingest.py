"""Validation at the door: good events become facts, bad ones dead letters with a reason."""
from collections.abc import Iterable, Iterator, Sequence
from datetime import tzinfo
from typing import Any

import orjson

from domain.facts import Fact
from streams.deadletter import DeadLetter, DeadLetterStore
from streams.envelope import parse_event
from streams.exceptions import InvalidEvent

__all__ = ["Door", "business_order", "batches"]


class Door:
    """Turns raw inbound events into facts; never raises on bad input."""

    def __init__(self, dead_letters: DeadLetterStore, *, tz: tzinfo, currency: str) -> None:
        self.dead_letters = dead_letters
        self._tz = tz
        self._currency = currency

    def admit(self, raws: Iterable[dict[str, Any]]) -> list[Fact]:
        return [f for f in map(self.admit_one, raws) if not isinstance(f, InvalidEvent)]

    def admit_one(self, raw: dict[str, Any]) -> Fact | InvalidEvent:
        """The fact, or the refusal it was dead-lettered with (a Kafka worker forwards it)."""
        try:
            return parse_event(raw, tz=self._tz, currency=self._currency)
        except InvalidEvent as error:
            self.refuse(raw, error)
            return error

    def refuse(self, raw: Any, error: InvalidEvent) -> None:
        try:
            payload = orjson.dumps(raw, option=orjson.OPT_SORT_KEYS).decode()
        except TypeError:
            payload = repr(raw)
        self.dead_letters.add(DeadLetter(field=error.field, reason=error.reason, payload=payload))


def business_order(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (f.occurred_at, f.event_id))


def batches(facts: Sequence[Fact], size: int) -> Iterator[Sequence[Fact]]:
    for start in range(0, len(facts), size):
        yield facts[start:start + size]
