"""Per-channel state shared by every connection: view, offset, history of deltas.

Sans-I/O: the shell feeds change-feed messages in (`changed`, `reload`) and calls `tick()`
on a timer; a tick marks the channels of every touched topic stale, re-reads stale channels
once each and returns at most one delta per channel, already encoded, with the subscribers
to send it to. Fan-out therefore costs one read, one diff and one encoding per channel per
tick however many events arrived.

What one tick may cost is bounded too, so that no client can slow every other one:

- at most `max_channels` channels live at once, lingering ones included: opening one more
  drops the channel that has lingered longest, and with none lingering the subscribe is
  refused (`ChannelsFull`);
- at most `reads_per_tick` stale channels are re-read per tick, watched ones first, oldest
  mark first. The rest stay stale in their place for a later tick, so every change still
  reaches every subscriber as a delta, later; a lingering channel passed over until it is
  watched again is read, in the watched turn, before its new subscriber's next delta.
  (A `ScoreReader` reads one scope of a board at a time, so the scopes of one (metric,
  window) cannot share a read.)
- `left(subscriber)` names the lingering channels a subscriber was the last to leave, so a
  session can count them against its own limit until they expire.

Offsets come from one hub-wide counter, so they increase within a channel and a channel
dropped and created again never reuses an offset a client may still hold; a client's
(epoch, offset) is resumable while every delta after it is still in the channel's history.
"""
import secrets
from collections import deque
from collections.abc import Hashable, Set
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any, Generic, TypeVar

from projections.read import ScoreReader

from gateway import wire
from gateway.channels import Channel, Topic, parse_channel, topics_of_change
from gateway.linger import Lingering
from gateway.views import diff_view, read_view

__all__ = ["ChannelsFull", "Hub", "Outgoing"]

S = TypeVar("S", bound=Hashable)  # whatever the shell uses to tell subscribers apart


class ChannelsFull(Exception):
    """Every channel slot holds a channel someone watches: no new channel can open."""


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


class Hub(Generic[S]):
    """Channels live while subscribed, then `linger_ticks` more so a reconnect can resume."""

    def __init__(self, reader: ScoreReader, *, epoch: str | None = None, history: int = 256,
                 linger_ticks: int = 1200, max_channels: int = 4096, reads_per_tick: int = 64) -> None:
        for option, value in (("history", history), ("max_channels", max_channels),
                              ("reads_per_tick", reads_per_tick)):
            if value < 1:
                raise ValueError(f"{option} must be at least 1, not {value}")
        self.epoch = epoch or secrets.token_hex(8)
        self._reader = reader
        self._history = history
        self._linger_ticks = linger_ticks
        self._max_channels = max_channels
        self._reads_per_tick = reads_per_tick
        self._states: dict[str, _State[S]] = {}
        self._topics: dict[Topic, dict[str, None]] = {}  # live channel names by topic, oldest first
        self._lingering: Lingering[S] = Lingering()
        self._stale: dict[str, None] = {}  # channels to re-read, in the order they were marked
        self._dirty: set[Topic] = set()
        self._reload = False
        self._ticks = 0
        self._counter = 0

    @property
    def channel_count(self) -> int:
        return len(self._states)

    @property
    def lingering_count(self) -> int:
        return len(self._lingering)

    @property
    def stale_count(self) -> int:
        return len(self._stale)

    def changed(self, kind: str, data: dict[str, Any]) -> None:
        self._dirty.update(topics_of_change(kind, data))

    def reload(self) -> None:
        """The change feed lost our place: re-read every live channel from the next tick."""
        self._reload = True

    def subscribe(self, subscriber: S, name: str,
                  resume: tuple[str, int] | None = None) -> list[bytes]:
        """Messages that bring the subscriber up to date.

        ValueError for a bad name; ChannelsFull when `name` is not live and no slot is free.
        """
        state = self._states.get(name) or self._open(parse_channel(name))
        self._lingering.stop(name)
        state.subscribers.add(subscriber)
        if resume is not None and resume[0] == self.epoch and state.floor <= resume[1] <= state.offset:
            return [message for offset, message in state.history if offset > resume[1]]
        return [wire.snapshot(name, self.epoch, state.offset, state.view)]

    def unsubscribe(self, subscriber: S, name: str) -> None:
        state = self._states.get(name)
        if state is None or subscriber not in state.subscribers:
            return
        state.subscribers.discard(subscriber)
        if not state.subscribers:
            self._lingering.start(name, self._ticks, subscriber)

    def left(self, subscriber: S) -> Set[str]:
        """The lingering channels `subscriber` was the last to leave."""
        return self._lingering.left_by(subscriber)

    def tick(self) -> list[Outgoing[S]]:
        """One delta per stale channel read this tick whose view changed."""
        self._ticks += 1
        self._expire()
        self._mark_stale()
        out: list[Outgoing[S]] = []
        for name in self._due():
            del self._stale[name]
            state = self._states[name]
            message = self._refresh(name, state)
            if message is not None and state.subscribers:
                out.append(Outgoing(name, message, frozenset(state.subscribers)))
        return out

    def _expire(self) -> None:
        for name in self._lingering.expired(before=self._ticks - self._linger_ticks):
            self._drop(name)

    def _mark_stale(self) -> None:
        touched = (self._topics.get(topic, ()) for topic in self._dirty)
        for name in self._states if self._reload else chain.from_iterable(touched):
            self._stale.setdefault(name, None)
        self._dirty.clear()
        self._reload = False

    def _due(self) -> list[str]:
        """This tick's reads: stale channels with subscribers, then lingering ones."""
        watched = (name for name in self._stale if self._states[name].subscribers)
        due = list(islice(watched, self._reads_per_tick))
        idle = (name for name in self._stale if not self._states[name].subscribers)
        return due + list(islice(idle, self._reads_per_tick - len(due)))

    def _open(self, channel: Channel) -> _State[S]:
        if len(self._states) >= self._max_channels:
            oldest = self._lingering.oldest()
            if oldest is None:
                raise ChannelsFull(f"the gateway already serves its limit of {self._max_channels} "
                                   "channels, all of them watched; try again later")
            self._drop(oldest)
        base = self._next_offset()
        state: _State[S] = _State(channel, read_view(channel, self._reader), base, base,
                                  deque(maxlen=self._history))
        name = str(channel)
        self._states[name] = state
        self._topics.setdefault(channel.topic, {})[name] = None
        return state

    def _drop(self, name: str) -> None:
        state = self._states.pop(name)
        self._lingering.stop(name)
        self._stale.pop(name, None)
        names = self._topics[state.channel.topic]
        del names[name]
        if not names:
            del self._topics[state.channel.topic]

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
