"""Validation at the door: good events become facts, bad ones dead letters with a reason."""
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

import orjson

from domain.exceptions import FactRefused
from domain.facts import Fact
from streams.deadletter import DeadLetter, DeadLetterStore
from streams.envelope import parse_event
from streams.exceptions import InvalidEvent

__all__ = ["Door", "Screened", "business_order", "batches"]


@dataclass
class Screened:
    """What the door let through, each fact with the raw event it came from: a fact the
    ledger refuses later is dead-lettered with that raw event, not the normalised fact."""

    facts: list[Fact] = field(default_factory=list)
    refused: int = 0  # raw events refused at the door
    raws: dict[int, Any] = field(default_factory=dict)  # id(fact) -> its raw event

    def raw_of(self, fact: Fact) -> Any:
        return self.raws[id(fact)]


class Door:
    """Turns raw inbound events into facts; never raises on bad input."""

    def __init__(self, dead_letters: DeadLetterStore, *, tz: tzinfo, currency: str) -> None:
        self.dead_letters = dead_letters
        self._tz = tz
        self._currency = currency

    def admit(self, raws: Iterable[dict[str, Any]]) -> list[Fact]:
        return self.screen(raws).facts

    def screen(self, raws: Iterable[dict[str, Any]]) -> Screened:
        screened = Screened()
        letters: list[DeadLetter] = []
        for raw in raws:
            try:
                fact = parse_event(raw, tz=self._tz, currency=self._currency)
            except InvalidEvent as error:
                letters.append(_letter(raw, error))
                continue
            screened.facts.append(fact)
            screened.raws[id(fact)] = raw
        if letters:
            self.dead_letters.add_all(letters)
        screened.refused = len(letters)
        return screened

    def admit_one(self, raw: dict[str, Any]) -> Fact | InvalidEvent:
        """The fact, or the refusal it was dead-lettered with (a Kafka worker forwards it)."""
        try:
            return parse_event(raw, tz=self._tz, currency=self._currency)
        except InvalidEvent as error:
            self.refuse(raw, error)
            return error

    def ledger_refused(self, raw: Any, refusal: FactRefused) -> None:
        """A fact the ledger refused (it contradicts what the ledger holds): dead-letter its raw event."""
        self.refuse(raw, InvalidEvent(refusal.field, refusal.reason))

    def refuse(self, raw: Any, error: InvalidEvent) -> None:
        self.dead_letters.add(_letter(raw, error))


def _letter(raw: Any, error: InvalidEvent) -> DeadLetter:
    try:
        payload = orjson.dumps(raw, option=orjson.OPT_SORT_KEYS, default=str).decode()
    except TypeError:  # an integer past 64 bits, kept exact (streams.payload): the slower writer
        payload = json.dumps(raw, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return DeadLetter(field=error.field, reason=error.reason, payload=payload)


def business_order(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (f.occurred_at, f.event_id))


def batches(facts: Sequence[Fact], size: int) -> Iterator[Sequence[Fact]]:
    for start in range(0, len(facts), size):
        yield facts[start:start + size]
