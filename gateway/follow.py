"""The gateway's place in the change feed: changes go to the hub, a lost place restarts it.

Reading the feed is what the tick loop does against a server every tick, so a Redis outage
shows here first: `poll()` returns False while the feed is out of reach (the hub's `outage`
says why) and the shell waits longer before the next try. When the feed answers again at
the same epoch with our offset still in it, following simply goes on: every message, in
order. When its epoch changed (a Redis that came back empty) or our offset was trimmed,
the feed raises FeedGap: the follower takes the feed's current position and restarts the
hub, so every subscriber gets a fresh snapshot, never a silent gap. (A store that came back
empty is rebuilt by `tally project` with board and rep messages in the same atomic step as
each chunk, so channels read while the rebuild runs are read again as it goes.)
"""
import logging
from typing import Any

from projections.changefeed import ChangeFeed, FeedGap

from gateway.exceptions import ViewsUnavailable
from gateway.hub import Hub
from gateway.outage import Outages, translated

__all__ = ["FeedFollower"]

_log = logging.getLogger(__name__)


class FeedFollower:
    def __init__(self, feed: ChangeFeed, hub: "Hub[Any]", *, outages: Outages = ()) -> None:
        self.epoch, self.after = "", 0  # "": no position taken yet
        self._feed = feed
        self._hub = hub
        self._outages = outages
        self._down = False

    def poll(self) -> bool:
        """Tells the hub every message since the last poll; False while the feed is out of reach."""
        try:
            with translated(self._outages):
                self._follow()
        except ViewsUnavailable as error:
            if not self._down:
                _log.warning("change feed out of reach, retrying with backoff: %s", error)
            self._down = True
            self._hub.outage = str(error)
            return False
        if self._down:
            _log.warning("change feed back at epoch %s, offset %d", self.epoch, self.after)
            self._down = False
        return True

    def _follow(self) -> None:
        if not self.epoch:
            self._place()
            self._hub.reload()  # channels opened before the position was known
        try:
            while changes := self._feed.read(self.epoch, self.after):
                for change in changes:
                    self._hub.changed(change.kind, change.data)
                self.after = changes[-1].offset
        except FeedGap as gap:
            _log.warning("change feed gap (%s): fresh snapshots for every channel", gap)
            self._place()
            self._hub.restart()

    def _place(self) -> None:
        self.epoch, self.after = self._feed.epoch, self._feed.last_offset()
