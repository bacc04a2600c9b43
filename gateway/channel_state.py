"""One live channel in the hub: its view, latest offset, history of deltas and subscribers.

No I/O: the hub reads views and hands them in. A channel's messages carry the hub's epoch
and offsets from the hub's counter, so they rise within the channel; a client holding
(epoch, offset) resumes while every delta after that offset is still in `history`.
"""
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from gateway import wire
from gateway.channels import Channel
from gateway.views import diff_view

__all__ = ["ChannelState"]

S = TypeVar("S", bound=Hashable)


@dataclass
class ChannelState(Generic[S]):
    channel: Channel
    name: str
    view: Any
    offset: int  # the latest delta's offset, or the channel's base offset
    floor: int  # every delta after this offset is in `history`
    history: deque[tuple[int, bytes]]
    subscribers: set[S] = field(default_factory=set)
    fresh: bool = False  # the next refresh sends a snapshot: the feed lost the hub's place

    @classmethod
    def opened(cls, channel: Channel, view: Any, offset: int, history: int) -> "ChannelState[S]":
        return cls(channel, str(channel), view, offset, offset, deque(maxlen=history))

    def catch_up(self, epoch: str, resume: tuple[str, int] | None) -> list[bytes]:
        """The deltas after `resume` when history reaches back to it, else a snapshot."""
        if resume is not None and resume[0] == epoch and self.floor <= resume[1] <= self.offset:
            return [message for offset, message in self.history if offset > resume[1]]
        return [wire.snapshot(self.name, epoch, self.offset, self.view)]

    def refresh(self, view: Any, epoch: str, next_offset: Callable[[], int]) -> bytes | None:
        """The message taking subscribers to `view`: a delta (None when nothing changed), or
        a snapshot when the channel is fresh."""
        if self.fresh:
            self.fresh = False
            self.history.clear()
            self.view, self.offset = view, next_offset()
            self.floor = self.offset
            return wire.snapshot(self.name, epoch, self.offset, view)
        data = diff_view(self.channel, self.view, view)
        if data is None:
            return None
        offset = next_offset()
        message = wire.delta(self.name, epoch, offset, self.offset, data)
        if len(self.history) == self.history.maxlen:
            self.floor = self.history[0][0]
        self.history.append((offset, message))
        self.view, self.offset = view, offset
        return message
