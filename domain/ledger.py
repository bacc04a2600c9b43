"""The ledger: an eventsourcing application holding every deal, rep and activity.

`record` takes a batch of validated facts and writes everything they change in one
transaction (group commit): one transaction per fact is 5-10x slower. Several processes
may write one ledger (a `tally ingest` beside a running demo): a batch that loses a race
(a version another writer took first, or SQLite's lock held past its timeout) is read
again and retried, so it lands once, on top of what the other writer recorded.
"""
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, OperationalError

from domain.activity import Activity
from domain.deal import Deal
from domain.exceptions import FactRefused
from domain.facts import ActivityFact, DealFact, Fact, PeriodFact, PlanFact, QuotaFact, RepFact
from domain.ids import activity_uuid, deal_uuid, period_uuid, plan_uuid, rep_uuid
from domain.period import Period
from domain.plan_book import PlanBook
from domain.rep import Rep

__all__ = ["Ledger", "Refuse"]

LedgerAggregate = Deal | Rep | Activity | PlanBook | Period
Refuse = Callable[[Fact, FactRefused], None]


class Ledger(Application[UUID]):
    """Cached aggregates are changed in place (a deep copy per load cost a third of the write
    path), so a batch that fails evicts everything it touched before re-raising.

    An aggregate that is not in the cache is first assumed new, which saves one read per
    new deal or activity; if it existed after all, the version clash rolls the whole batch
    back and the batch is recorded again, this time reading every aggregate it touches.
    Aggregates another writer changed (`forget`) are read, never assumed new.
    """

    name = "tally"
    attempts = 6  # per batch: the first assumes uncached aggregates are new, the rest read them
    remember_at_most = 20_000  # aggregates known to be changed elsewhere; past it, assume new again

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env)
        self._changed_elsewhere: set[UUID] = set()

    def record(self, facts: Sequence[Fact], refuse: Refuse | None = None) -> int:
        """Applies a batch of facts in one transaction; returns how many were new.

        A fact that contradicts the ledger is handed to `refuse` (to dead-letter it) and the
        rest of the batch goes on; without `refuse` it raises FactRefused. `refuse` may be
        called again for the same fact when the batch is retried.
        """
        for attempt in range(1, self.attempts):
            try:
                return self._record_batch(facts, refuse, assume_new=attempt == 1)
            except (IntegrityError, OperationalError) as error:
                if isinstance(error, OperationalError) and "locked" not in str(error):
                    raise
        return self._record_batch(facts, refuse, assume_new=False)

    def plan_book(self, plan_id: str) -> PlanBook | None:
        try:
            return self.repository.get(plan_uuid(plan_id))
        except AggregateNotFoundError:
            return None

    def deal(self, deal_id: str) -> Deal:
        return self.repository.get(deal_uuid(deal_id))

    def _record_batch(self, facts: Sequence[Fact], refuse: Refuse | None, *, assume_new: bool) -> int:
        touched: dict[UUID, LedgerAggregate] = {}
        new = 0
        try:
            for fact in facts:
                try:
                    new += self._aggregate_for(fact, touched, assume_new).record(fact)  # type: ignore[arg-type]
                except FactRefused as refusal:
                    if refuse is None:
                        raise
                    refuse(fact, refusal)
            changed = [a for a in touched.values() if a.pending_events]
            if changed:
                self.save(*changed)
        except BaseException:
            self._evict(touched)
            raise
        self._changed_elsewhere.difference_update(touched)
        return new

    def forget(self, keys: Iterable[UUID] | None = None) -> None:
        """Another writer changed these aggregates (any of them, without `keys`): the next
        batch reads them instead of clashing with a stale cached copy, or assuming them new."""
        cache = self.repository.cache
        if keys is None:
            self._evict(list(cache.cache) if cache is not None else [])
            return
        keys = set(keys)
        self._evict(keys)
        if len(self._changed_elsewhere) + len(keys) <= self.remember_at_most:
            self._changed_elsewhere |= keys

    def _evict(self, keys: Iterable[UUID]) -> None:
        cache = self.repository.cache
        if cache is None:
            return
        for key in keys:
            try:
                cache.get(key, evict=True)
            except KeyError:
                pass

    def _aggregate_for(self, fact: Fact, touched: dict[UUID, Any], assume_new: bool) -> LedgerAggregate:
        key, make = _identify(fact)
        if key not in touched:
            assume = assume_new and key not in self._changed_elsewhere
            touched[key] = self._cached(key) or (make() if assume else self._load_or(key, make))
        return touched[key]

    def _cached(self, key: UUID) -> LedgerAggregate | None:
        cache = self.repository.cache
        try:
            return cast(LedgerAggregate, cache.get(key)) if cache is not None else None
        except KeyError:
            return None

    def _load_or(self, key: UUID, make: Callable[[], LedgerAggregate]) -> LedgerAggregate:
        try:
            return self.repository.get(key)
        except AggregateNotFoundError:
            return make()


def _identify(fact: Fact) -> tuple[UUID, Callable[[], LedgerAggregate]]:
    if isinstance(fact, DealFact):
        return deal_uuid(fact.deal_id), lambda: Deal(fact.deal_id)
    if isinstance(fact, RepFact | QuotaFact):
        return rep_uuid(fact.rep_id), lambda: Rep(fact.rep_id)
    if isinstance(fact, PlanFact):
        return plan_uuid(fact.plan_id), lambda: PlanBook(fact.plan_id)
    if isinstance(fact, PeriodFact):
        return period_uuid(fact.period), lambda: Period(fact.period)
    if isinstance(fact, ActivityFact):
        return activity_uuid(fact.activity_id), lambda: Activity(fact.activity_id)
    raise TypeError(f"not a fact: {fact!r}")
