"""The change feed: every view change as a small message with an increasing offset.

The gateway follows it to know which channels changed. A reader whose offset fell out of
the retained history, or whose epoch is not the feed's, must reload a snapshot: the feed
never lets a gap pass silently.
"""
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from projections.views import ViewChanges

__all__ = ["Change", "ChangeFeed", "FeedGap", "MemoryChangeFeed", "Outbox"]


@dataclass(frozen=True)
class Change:
    offset: int
    kind: str  # "board" | "rep" | "milestone"
    data: dict[str, Any]


class FeedGap(Exception):
    """The reader's position is no longer in the feed: reload a snapshot, then follow."""


class ChangeFeed(Protocol):
    @property
    def epoch(self) -> str:
        """Names this feed's offsets: a reader holding another epoch must reload."""

    def publish(self, changes: list[tuple[str, dict[str, Any]]]) -> int:
        """Appends changes in order; returns the last offset."""

    def read(self, epoch: str, after: int, limit: int = 1000) -> list[Change]:
        """Changes after `after`; FeedGap if that position is gone."""

    def last_offset(self) -> int: ...


@runtime_checkable
class Outbox(Protocol):
    """A view store that appends the feed messages in the same atomic step as its rows, so a
    crash between the two can neither lose a change nor push one twice (Redis)."""

    def commit_and_publish(self, changes: ViewChanges, position: int,
                           messages: list[tuple[str, dict[str, Any]]]) -> None: ...


class MemoryChangeFeed:
    """In-process feed with bounded history; thread-safe (writer thread, gateway loop)."""

    def __init__(self, *, retain: int = 100_000) -> None:
        self.epoch = uuid.uuid4().hex
        self._history: deque[Change] = deque(maxlen=retain)
        self._offset = 0
        self._lock = threading.Lock()

    def publish(self, changes: list[tuple[str, dict[str, Any]]]) -> int:
        with self._lock:
            for kind, data in changes:
                self._offset += 1
                self._history.append(Change(self._offset, kind, data))
            return self._offset

    def read(self, epoch: str, after: int, limit: int = 1000) -> list[Change]:
        with self._lock:
            if epoch != self.epoch:
                raise FeedGap(f"epoch {epoch!r} is not the feed's epoch")
            oldest = self._history[0].offset if self._history else self._offset + 1
            if after < oldest - 1:
                raise FeedGap(f"offset {after} is older than the retained history ({oldest})")
            start = after - oldest + 1
            return [self._history[i] for i in range(start, min(len(self._history), start + limit))]

    def last_offset(self) -> int:
        with self._lock:
            return self._offset
