"""The period aggregate: a commission period, and whether it has been closed.

Closing is a fact in ledger order: statements of a closed period are final, and facts
for it recorded after the close become adjustment lines in the open period.
"""
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.exceptions import FactRefused
from domain.facts import PeriodFact, conflicts
from domain.ids import period_uuid

__all__ = ["Period"]


class Period(Aggregate):
    class Registered(Aggregate.Created):
        class_version = 1
        period: str

    class Closed(Aggregate.Event):
        class_version = 1
        fact: dict[str, Any]

    @staticmethod
    def create_id(period: str) -> UUID:
        return period_uuid(period)

    @event(Registered)
    def __init__(self, period: str) -> None:
        self.period = period
        self.closed_by: str | None = None
        self.close: dict[str, Any] | None = None

    def record(self, fact: PeriodFact) -> bool:
        """Closes the period once; a second close changes nothing, the same close delivered
        with other content is refused."""
        stored = {"event_id": fact.event_id, "occurred_at": fact.occurred_at, "source": fact.source,
                  "period": fact.period}
        if self.close is not None and fact.event_id == self.closed_by and conflicts(stored, self.close):
            raise FactRefused("event_id", f"{fact.event_id!r} was already recorded with other content")
        if self.closed_by is not None:
            return False
        self._closed(fact=stored)
        return True

    @event(Closed)
    def _closed(self, fact: dict[str, Any]) -> None:
        self.closed_by = fact["event_id"]
        self.close = fact
