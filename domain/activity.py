"""The activity aggregate: one logged call, email, meeting or demo.

An activity is one fact; a second delivery of it is a no-op. A corrected activity
(same activity_id, new event_id) replaces it when it is later in business order.
"""
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.exceptions import FactRefused
from domain.facts import ActivityFact, conflicts
from domain.ids import activity_uuid

__all__ = ["Activity"]


class Activity(Aggregate):
    class Registered(Aggregate.Created):
        class_version = 1
        activity_id: str

    class FactRecorded(Aggregate.Event):
        class_version = 1
        fact: dict[str, Any]
        current: dict[str, Any]

    @staticmethod
    def create_id(activity_id: str) -> UUID:
        return activity_uuid(activity_id)

    @event(Registered)
    def __init__(self, activity_id: str) -> None:
        self.activity_id = activity_id
        self.current: dict[str, Any] | None = None
        self.applied: dict[str, dict[str, Any]] = {}

    def record(self, fact: ActivityFact) -> bool:
        stored = {
            "event_id": fact.event_id, "activity_id": fact.activity_id,
            "occurred_at": fact.occurred_at, "source": fact.source,
            "rep_id": fact.rep_id, "kind": fact.kind, "deal_id": fact.deal_id,
            "duration_s": fact.duration_s,
        }
        if fact.event_id in self.applied:
            if conflicts(stored, self.applied[fact.event_id]):
                raise FactRefused("event_id", f"{fact.event_id!r} was already recorded with other content")
            return False
        current = self.current
        if current is None or _order(stored) > _order(current):
            current = stored
        self._recorded(fact=stored, current=current)
        return True

    @event(FactRecorded)
    def _recorded(self, fact: dict[str, Any], current: dict[str, Any]) -> None:
        self.applied[fact["event_id"]] = fact
        self.current = current


def _order(fact: dict[str, Any]) -> tuple[Any, str]:
    return fact["occurred_at"], fact["event_id"]
