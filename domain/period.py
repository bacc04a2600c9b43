"""The period aggregate: a commission period, and whether it has been closed.

Closing is a fact in ledger order: statements of a closed period are final, and facts
for it recorded after the close become adjustment lines in the open period.
"""
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.facts import PeriodFact
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

    def record(self, fact: PeriodFact) -> bool:
        """Closes the period once; a second close changes nothing."""
        if self.closed_by is not None:
            return False
        self._closed(fact={"event_id": fact.event_id, "occurred_at": fact.occurred_at,
                           "source": fact.source, "period": fact.period})
        return True

    @event(Closed)
    def _closed(self, fact: dict[str, Any]) -> None:
        self.closed_by = fact["event_id"]
