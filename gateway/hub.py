"""Per-channel state shared by every connection: view, offset, history of deltas.

Sans-I/O: the shell feeds change-feed messages in (`changed`, `reload`) and calls `tick()`
on a timer; the hub re-reads each touched channel once and returns at most one delta per
channel, already encoded, with the subscribers to send it to. Fan-out therefore costs one
read, one diff and one encoding per channel per tick however many events arrived.

Offsets come from one hub-wide counter, so they increase within a channel and a channel
dropped and created again never reuses an offset a client may still hold; a client's
(epoch, offset) is resumable while every delta after it is still in the channel's history.
"""
import secrets
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from projections.read import ScoreReader

from gateway import wire
from gateway.channels import Channel, Topic, parse_channel, topics_of_change
from gateway.views import diff_view, read_view

__all__ = ["Hub", "Outgoing"]

S = TypeVar("S", bound=Hashable)  # whatever the shell uses to tell subscribers apart


@dataclass(frozen=True)
class Outgoing(Generic[S]):
    """One encoded delta and the subscribers it goes to."""

    channel: str
    message: bytes
    subscribers: frozenset[S]


@dataclass
class _State(Generic[S]):
    channel: Channel
    view: Any
    offset: int  # the latest delta's offset, or the channel's base offset
    floor: int  # every delta after this offset is in `history`
    history: deque[tuple[int, bytes]]
    subscribers: set[S] = field(default_factory=set)
    idle_ticks: int = 0


class Hub(Generic[S]):
    """Channels live while subscribed, then `linger_ticks` more so a reconnect can resume."""

    def __init__(self, reader: ScoreReader, *, epoch: str | None = None, history: int = 256,
                 linger_ticks: int = 1200) -> None:
        if history < 1:
            raise ValueError(f"history must keep at least one delta, not {history}")
        self.epoch = epoch or secrets.token_hex(8)
        self._reader = reader
        self._history = history
        self._linger_ticks = linger_ticks
        self._states: dict[str, _State[S]] = {}
        self._dirty: set[Topic] = set()
        self._reload = False
        self._counter = 0

    @property
    def channel_count(self) -> int:
        return len(self._states)

    def changed(self, kind: str, data: dict[str, Any]) -> None:
        self._dirty.update(topics_of_change(kind, data))

    def reload(self) -> None:
        """The change feed lost our place: re-read every live channel at the next tick."""
        self._reload = True

    def subscribe(self, subscriber: S, name: str,
                  resume: tuple[str, int] | None = None) -> list[bytes]:
        """Messages that bring the subscriber up to date; ValueError for a bad name."""
        state = self._states.get(name) or self._open(parse_channel(name))
        state.subscribers.add(subscriber)
        if resume is not None and resume[0] == self.epoch and state.floor <= resume[1] <= state.offset:
            return [message for offset, message in state.history if offset > resume[1]]
        return [wire.snapshot(name, self.epoch, state.offset, state.view)]

    def unsubscribe(self, subscriber: S, name: str) -> None:
        state = self._states.get(name)
        if state is not None:
            state.subscribers.discard(subscriber)

    def tick(self) -> list[Outgoing[S]]:
        """One delta per live channel whose view changed since the last tick."""
        out: list[Outgoing[S]] = []
        for name, state in list(self._states.items()):
            state.idle_ticks = 0 if state.subscribers else state.idle_ticks + 1
            if state.idle_ticks > self._linger_ticks:
                del self._states[name]
            elif self._reload or state.channel.topic in self._dirty:
                message = self._refresh(name, state)
                if message is not None and state.subscribers:
                    out.append(Outgoing(name, message, frozenset(state.subscribers)))
        self._dirty.clear()
        self._reload = False
        return out

    def _open(self, channel: Channel) -> _State[S]:
        base = self._next_offset()
        state: _State[S] = _State(channel, read_view(channel, self._reader), base, base,
                       deque(maxlen=self._history))
        self._states[str(channel)] = state
        return state

    def _refresh(self, name: str, state: _State[S]) -> bytes | None:
        view = read_view(state.channel, self._reader)
        data = diff_view(state.channel, state.view, view)
        if data is None:
            return None
        offset = self._next_offset()
        message = wire.delta(name, self.epoch, offset, state.offset, data)
        if len(state.history) == state.history.maxlen:
            state.floor = state.history[0][0]
        state.history.append((offset, message))
        state.view, state.offset = view, offset
        return message

    def _next_offset(self) -> int:
        self._counter += 1
        return self._counter
