"""Follows the ledger's notification log into a view store, exactly once.

Each chunk of notifications becomes one commit of row changes plus the position of its
last notification; a killed projector resumes from the stored position. Positions may
have gaps, so reading always asks for ids greater than the last one seen. Views found
empty over a ledger that is not are rebuilt silently first (`resume`), so no milestone is
pushed twice.
"""
from typing import Any

from eventsourcing.application import Application

from domain.activity import Activity
from domain.deal import Deal
from domain.period import Period
from domain.plan_book import PlanBook
from domain.rep import Rep
from projections.changefeed import ChangeFeed, Outbox
from projections.scoring import Rules, Scoreboard
from projections.views import ViewChanges, ViewStore

__all__ = ["Projector", "unprojected"]

_EVENTS = (Deal.FactRecorded, Rep.FactRecorded, Activity.FactRecorded, PlanBook.Published,
           PlanBook.Assigned, Period.Closed)
_TOPICS = [f"{cls.__module__}:{cls.__qualname__}" for cls in _EVENTS]


class Projector:
    def __init__(self, ledger: Application, store: ViewStore, rules: Rules, *,
                 feed: ChangeFeed | None = None, notify: bool = True, chunk: int = 1000) -> None:
        self._ledger = ledger
        self._store = store
        self._feed = feed
        self._outbox = store if isinstance(store, Outbox) else None
        self._notify = notify and (feed is not None or self._outbox is not None)
        self._chunk = chunk
        self.board = Scoreboard(store.working_set(), rules)
        self.position = store.position()

    @classmethod
    def resume(cls, ledger: Application, store: ViewStore, rules: Rules, *,
               feed: ChangeFeed | None = None) -> "Projector":
        """A projector that pushes only what is new to the views it finds."""
        if store.position() == 0 and ledger.recorder.max_notification_id():
            cls(ledger, store, rules, notify=False).catch_up()
        return cls(ledger, store, rules, feed=feed)

    def pending(self) -> bool:
        """Whether the ledger holds facts this projector has not projected yet."""
        return bool(self._ledger.recorder.select_notifications(
            self.position, 1, topics=_TOPICS, inclusive_of_start=False))

    def catch_up(self, until: int | None = None) -> int:
        """Projects everything recorded so far, or up to position `until` (a rebuild that is to
        match a store at that position); returns how many notifications it read."""
        seen = 0
        while True:
            notes = self._ledger.recorder.select_notifications(
                self.position, self._chunk, stop=until, topics=_TOPICS, inclusive_of_start=False)
            if not notes:
                return seen
            for note in notes:
                self._apply(self._ledger.mapper.to_domain_event(note), note.id)
            changes, messages = self.board.drain(notify=self._notify)
            self._commit(changes, notes[-1].id, messages)
            self.position = notes[-1].id
            seen += len(notes)

    def _commit(self, changes: ViewChanges, position: int, messages: list[tuple[str, dict[str, Any]]]) -> None:
        """An outbox store publishes in its own atomic step; otherwise publish after the commit."""
        if self._outbox is not None:
            self._outbox.commit_and_publish(changes, position, messages)
            return
        self._store.commit(changes, position)
        if self._feed is not None and messages:
            self._feed.publish(messages)

    def _apply(self, event: object, position: int) -> None:
        fact = event.fact  # type: ignore[attr-defined]  # every followed event carries its fact
        if _moves_clock(event):
            self.board.saw(fact["occurred_at"])
        if isinstance(event, Deal.FactRecorded):
            self.board.deal_outcome(fact["deal_id"], event.outcome, position)
        elif isinstance(event, Rep.FactRecorded):
            self.board.rep(fact["rep_id"], event.profile, fact)
        elif isinstance(event, Activity.FactRecorded):
            self.board.activity(event.current)
        elif isinstance(event, PlanBook.Published):
            self.board.plan_fact("published", fact)
        elif isinstance(event, PlanBook.Assigned):
            self.board.plan_fact("assigned", fact)
        elif isinstance(event, Period.Closed):
            self.board.close(fact["period"], position)


def _moves_clock(event: object) -> bool:
    """The ledger's clock is the latest business time of what the sales team did: deals,
    activities, joins and moves. Plans, assignments, quotas and closes are often dated
    ahead of time (a plan effective next year, a closed future quarter): they never move it."""
    if isinstance(event, Rep.FactRecorded):
        return bool(event.fact["kind"] != "quota")
    return isinstance(event, Deal.FactRecorded | Activity.FactRecorded)


def unprojected(ledger: Application, position: int, *, page: int = 10_000) -> int:
    """How many followed facts the ledger holds past `position` (views at it lag by that many)."""
    count = 0
    while notes := ledger.recorder.select_notifications(position, page, topics=_TOPICS, inclusive_of_start=False):
        count += len(notes)
        position = notes[-1].id
    return count
