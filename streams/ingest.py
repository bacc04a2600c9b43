"""Validation at the door: good events become facts, bad ones dead letters with a reason."""
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import tzinfo
from typing import Any

import orjson

from domain.exceptions import FactRefused
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
        facts: list[Fact] = []
        letters: list[DeadLetter] = []
        for raw in raws:
            try:
                facts.append(parse_event(raw, tz=self._tz, currency=self._currency))
            except InvalidEvent as error:
                letters.append(_letter(raw, error))
        if letters:
            self.dead_letters.add_all(letters)
        return facts

    def admit_one(self, raw: dict[str, Any]) -> Fact | InvalidEvent:
        """The fact, or the refusal it was dead-lettered with (a Kafka worker forwards it)."""
        try:
            return parse_event(raw, tz=self._tz, currency=self._currency)
        except InvalidEvent as error:
            self.refuse(raw, error)
            return error

    def refuse_fact(self, fact: Fact, refusal: FactRefused) -> None:
        """A fact the ledger refused (it contradicts what the ledger holds): dead-letter it."""
        self.refuse(asdict(fact), InvalidEvent(refusal.field, refusal.reason))

    def refuse(self, raw: Any, error: InvalidEvent) -> None:
        self.dead_letters.add(_letter(raw, error))


def _letter(raw: Any, error: InvalidEvent) -> DeadLetter:
    try:
        payload = orjson.dumps(raw, option=orjson.OPT_SORT_KEYS, default=str).decode()
    except TypeError:
        payload = repr(raw)
    return DeadLetter(field=error.field, reason=error.reason, payload=payload)


def business_order(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (f.occurred_at, f.event_id))


def batches(facts: Sequence[Fact], size: int) -> Iterator[Sequence[Fact]]:
    for start in range(0, len(facts), size):
        yield facts[start:start + size]
