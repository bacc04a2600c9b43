"""Writers of one SQLite ledger take turns, one batch each, under an OS file lock.

Without turns, a big batch (a `tally ingest` of 500 facts) reads its aggregates while a
live feed commits small batches on some of the same deals, loses the version race, reads
again and loses again: it starved until the feed ended. Under `ledger-writer.lock` a
batch loads and saves with no one else writing, so it lands in one go. The lock is held
only around one batch, so writers interleave; the kernel drops it when its holder dies.

A writer caches the aggregates it wrote; when the ledger moved since its own last write,
it forgets the aggregates the other writers changed before loading, so the batch reads
them fresh instead of clashing with a stale copy.
"""
import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol
from uuid import UUID

from domain.facts import Fact
from domain.ledger import Ledger, Refuse

__all__ = ["FactWriter", "WriterTurns"]


class FactWriter(Protocol):
    """What writes a batch of facts: the ledger itself, or the ledger taking turns."""

    def record(self, facts: Sequence[Fact], refuse: Refuse | None = None) -> int: ...


class WriterTurns:
    """`record` as the ledger's, one batch per turn of STATE/ledger-writer.lock."""

    forget_all_past = 10_000  # when others wrote more than this since our turn, drop the whole cache

    def __init__(self, ledger: Ledger, lock: Path) -> None:
        self._ledger = ledger
        self._lock = lock
        self._seen: int | None = None  # the ledger's head after this writer's last turn

    def record(self, facts: Sequence[Fact], refuse: Refuse | None = None) -> int:
        with self.turn():
            self._forget_what_others_wrote()
            new = self._ledger.record(facts, refuse)
            self._seen = self._head()
        return new

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Holds the lock (waiting for it) for the duration of one batch."""
        fd = os.open(self._lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor lets the lock go

    def _head(self) -> int:
        return self._ledger.recorder.max_notification_id() or 0

    def _forget_what_others_wrote(self) -> None:
        head = self._head()
        if self._seen == head:
            return
        if self._seen is None or head - self._seen > self.forget_all_past:
            self._ledger.forget()
            return
        notes = self._ledger.recorder.select_notifications(self._seen, head - self._seen, stop=head,
                                                           inclusive_of_start=False)
        self._ledger.forget({UUID(str(note.originator_id)) for note in notes})
