"""Running totals of one rep's window: what a board row and a first deal need.

A board row is the sum of a rep's window and the latest entry in it; a first deal is the
earliest sold credit of all time. Recomputing those from every credit on each batch costs
a rep's whole history per deal (20,000 deals: 0.18 s per live deal), so they are kept as
entries come and go. Additions are exact (Decimal sums do not depend on order), so the
kept total is the recomputed one, exponent included. A removal (a reversal, a re-won
deal) marks the window stale and the next read rescans it: the figures never depend on
the path that led to them.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

__all__ = ["Entry", "WindowTally"]


@dataclass(frozen=True, order=True)
class Entry:
    """A deal's sold credit or an activity, compared in business order (time, event id,
    then the deal or activity id), the order of domain.milestones."""

    at: datetime
    event_id: str
    key: str
    amount: Decimal


class WindowTally:
    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._total = Decimal(0)
        self._first: Entry | None = None
        self._last: Entry | None = None
        self._stale = False

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, entry: Entry) -> None:
        if entry.key in self._entries:
            self.remove(entry.key)
        self._entries[entry.key] = entry
        if self._stale:
            return
        self._total += entry.amount
        if self._first is None or entry < self._first:
            self._first = entry
        if self._last is None or entry > self._last:
            self._last = entry

    def remove(self, key: str) -> None:
        if self._entries.pop(key, None) is not None:
            self._stale = True

    def total(self) -> Decimal:
        self._fresh()
        return self._total

    def first(self) -> Entry | None:
        self._fresh()
        return self._first

    def last(self) -> Entry | None:
        self._fresh()
        return self._last

    def _fresh(self) -> None:
        if self._stale:
            entries = self._entries.values()
            self._total = sum((e.amount for e in entries), Decimal(0))
            self._first, self._last = (min(entries), max(entries)) if entries else (None, None)
            self._stale = False
