"""Per-channel state shared by every connection: view, offset, history of deltas.

Sans-I/O: the shell feeds change-feed messages in (`changed`, `reload`, `restart`) and calls
`tick()` on a timer; a tick marks the channels of every touched topic stale, re-reads stale
channels once each and returns at most one message per channel, already encoded, with the
subscribers to send it to. Fan-out therefore costs one read, one diff and one encoding per
channel per tick however many events arrived.

What one tick may cost is bounded too, so that no client can slow every other one:

- at most `max_channels` channels live at once, lingering ones included: opening one more
  drops the channel that has lingered longest, and with none lingering the subscribe is
  refused (`ChannelsFull`). A channel naming what the views do not hold (an unknown rep,
  region, manager, or a window without scores) is refused before it takes a slot
  (`UnknownChannel`);
- at most `reads_per_tick` stale channels are re-read per tick, watched ones first, oldest
  mark first. The rest stay stale in their place for a later tick, so every change still
  reaches every subscriber as a delta, later; a lingering channel passed over until it is
  watched again is read, in the watched turn, before its new subscriber's next delta.
  (A `ScoreReader` reads one scope of a board at a time, so the scopes of one (metric,
  window) cannot share a read.)
- `left(subscriber)` names the lingering channels a subscriber was the last to leave, so a
  session can count them against its own limit until they expire.

A read that finds the views out of reach (`ViewsUnavailable`) ends the tick's reads: its
channel and the rest stay stale for a later tick, and `outage` says why until a tick reads
without failing. `restart()` (the feed lost the hub's place) starts a new epoch: every live
channel is read afresh and its subscribers get a snapshot, never a delta across the gap.

Offsets come from one hub-wide counter, so they increase within a channel and a channel
dropped and created again never reuses an offset a client may still hold.
"""
import secrets
from collections.abc import Hashable, Set
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, Generic, TypeVar

from projections.read import ScoreReader

from gateway.channel_state import ChannelState
from gateway.channels import Channel, Topic, parse_channel, topics_of_change
from gateway.exceptions import ChannelsFull, UnknownChannel, ViewsUnavailable
from gateway.linger import Lingering
from gateway.views import absent, read_view

__all__ = ["Hub", "Outgoing"]

S = TypeVar("S", bound=Hashable)  # whatever the shell uses to tell subscribers apart


@dataclass(frozen=True)
class Outgoing(Generic[S]):
    """One encoded message (a delta, or a snapshot after a restart) and its subscribers."""

    channel: str
    message: bytes
    subscribers: frozenset[S]


class Hub(Generic[S]):
    """Channels live while subscribed, then `linger_ticks` more so a reconnect can resume."""

    def __init__(self, reader: ScoreReader, *, epoch: str | None = None, history: int = 256,
                 linger_ticks: int = 1200, max_channels: int = 4096, reads_per_tick: int = 64) -> None:
        for option, value in (("history", history), ("max_channels", max_channels),
                              ("reads_per_tick", reads_per_tick)):
            if value < 1:
                raise ValueError(f"{option} must be at least 1, not {value}")
        self.epoch = epoch or secrets.token_hex(8)
        self.outage: str | None = None  # why the last tick could not read the views
        self._reader = reader
        self._history = history
        self._linger_ticks = linger_ticks
        self._max_channels = max_channels
        self._reads_per_tick = reads_per_tick
        self._states: dict[str, ChannelState[S]] = {}
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
        """Re-read every live channel from the next tick (deltas as usual)."""
        self._reload = True

    def restart(self) -> None:
        """The change feed lost the hub's place: a new epoch, lingering channels dropped, and
        every watched channel read afresh and sent as a snapshot from the next tick."""
        self.epoch = secrets.token_hex(8)
        for name in [name for name, state in self._states.items() if not state.subscribers]:
            self._drop(name)
        for state in self._states.values():
            state.fresh = True
        self._reload = True

    def subscribe(self, subscriber: S, name: str,
                  resume: tuple[str, int] | None = None) -> list[bytes]:
        """Messages that bring the subscriber up to date.

        ValueError for a bad name; ChannelRefused (full, unknown) or ViewsUnavailable when
        `name` is not live and cannot be opened.
        """
        state = self._states.get(name) or self._open(parse_channel(name))
        self._lingering.stop(name)
        state.subscribers.add(subscriber)
        return state.catch_up(self.epoch, resume)

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
        """One message per stale channel read this tick whose view changed (or is fresh)."""
        self._ticks += 1
        self._expire()
        self._mark_stale()
        out: list[Outgoing[S]] = []
        self.outage = None
        for name in self._due():
            state = self._states[name]
            try:
                view = read_view(state.channel, self._reader)
            except ViewsUnavailable as error:
                self.outage = str(error)
                break
            del self._stale[name]
            message = state.refresh(view, self.epoch, self._next_offset)
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

    def _open(self, channel: Channel) -> ChannelState[S]:
        """Checks are cheapest first: a free slot, then the views hold the name, then the read."""
        full, oldest = len(self._states) >= self._max_channels, self._lingering.oldest()
        if full and oldest is None:
            raise ChannelsFull(f"the gateway already serves its limit of {self._max_channels} "
                               "channels, all of them watched; try again later")
        if reason := absent(channel, self._reader):
            raise UnknownChannel(reason)
        view = read_view(channel, self._reader)
        if full and oldest is not None:
            self._drop(oldest)
        state: ChannelState[S] = ChannelState.opened(channel, view, self._next_offset(), self._history)
        self._states[state.name] = state
        self._topics.setdefault(channel.topic, {})[state.name] = None
        return state

    def _drop(self, name: str) -> None:
        state = self._states.pop(name)
        self._lingering.stop(name)
        self._stale.pop(name, None)
        names = self._topics[state.channel.topic]
        del names[name]
        if not names:
            del self._topics[state.channel.topic]

    def _next_offset(self) -> int:
        self._counter += 1
        return self._counter
