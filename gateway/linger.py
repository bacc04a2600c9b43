"""Channels nobody watches any more, kept a while so that a reconnecting client can resume.

A ledger without I/O for the hub: which channels linger, since which tick, oldest first (the
first to expire and the first to give up its slot), and who left each one last, so that a
client's own limit can count the channels it left behind until they go.
"""
from collections.abc import Hashable, Set
from itertools import takewhile
from typing import Generic, TypeVar

__all__ = ["Lingering"]

S = TypeVar("S", bound=Hashable)


class Lingering(Generic[S]):
    def __init__(self) -> None:
        self._since: dict[str, tuple[int, S]] = {}  # name: (tick left, last to leave), oldest first
        self._left: dict[S, set[str]] = {}

    def __len__(self) -> int:
        return len(self._since)

    def start(self, name: str, tick: int, leaver: S) -> None:
        """`leaver` was the last subscriber of `name`; a name lingers once, from its latest start."""
        self.stop(name)
        self._since[name] = (tick, leaver)
        self._left.setdefault(leaver, set()).add(name)

    def stop(self, name: str) -> None:
        """`name` is watched again, or dropped."""
        entry = self._since.pop(name, None)
        if entry is not None:
            left = self._left[entry[1]]
            left.discard(name)
            if not left:
                del self._left[entry[1]]

    def oldest(self) -> str | None:
        return next(iter(self._since), None)

    def expired(self, before: int) -> list[str]:
        """Names left before tick `before`, oldest first."""
        return [name for name, _ in takewhile(lambda entry: entry[1][0] < before, self._since.items())]

    def left_by(self, leaver: S) -> Set[str]:
        return self._left.get(leaver, frozenset())
