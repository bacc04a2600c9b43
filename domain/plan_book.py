"""The plan aggregate: every published version of one plan and who it is assigned to.

A published version never changes: publishing the same version again with the same
definition is a no-op, with another definition it is refused. An event_id names one fact:
delivered again it is a no-op, reused for other content it is refused. Assignments accumulate;
which one applies to a rep and period is the projection's rule (most specific scope).
"""
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.exceptions import FactRefused
from domain.facts import PlanFact, conflicts
from domain.ids import plan_uuid

__all__ = ["PlanBook"]


class PlanBook(Aggregate):
    class Registered(Aggregate.Created):
        class_version = 1
        plan_id: str

    class Published(Aggregate.Event):
        class_version = 1
        fact: dict[str, Any]

    class Assigned(Aggregate.Event):
        class_version = 1
        fact: dict[str, Any]

    @staticmethod
    def create_id(plan_id: str) -> UUID:
        return plan_uuid(plan_id)

    @event(Registered)
    def __init__(self, plan_id: str) -> None:
        self.plan_id = plan_id
        self.versions: dict[int, dict[str, Any]] = {}
        self.assignments: list[dict[str, Any]] = []
        self.applied: dict[str, dict[str, Any]] = {}  # event_id -> the fact as stored

    def record(self, fact: PlanFact) -> bool:
        stored: dict[str, Any] = {"event_id": fact.event_id, "kind": fact.kind, "occurred_at": fact.occurred_at,
                                  "source": fact.source, "plan_id": fact.plan_id}
        if fact.kind == "published":
            if fact.definition is None:
                raise FactRefused("definition", "is missing")
            stored["definition"] = fact.definition
        else:
            stored.update(scope=fact.scope, effective_from=_iso(fact.effective_from),
                          effective_to=_iso(fact.effective_to))
        earlier = self.applied.get(fact.event_id)
        if earlier is not None:
            if conflicts(stored, earlier):
                raise FactRefused("event_id", f"{fact.event_id!r} was already recorded with other content")
            return False
        if fact.kind == "assigned":
            self._assigned(fact=stored)
            return True
        version = int(stored["definition"]["version"])
        known = self.versions.get(version)
        if known == fact.definition:
            return False
        if known is not None:
            raise FactRefused("definition", f"plan {self.plan_id!r} version {version} is already "
                              "published with another definition; publish a new version")
        self._published(fact=stored)
        return True

    @event(Published)
    def _published(self, fact: dict[str, Any]) -> None:
        self.applied[fact["event_id"]] = fact
        self.versions[int(fact["definition"]["version"])] = fact["definition"]

    @event(Assigned)
    def _assigned(self, fact: dict[str, Any]) -> None:
        self.applied[fact["event_id"]] = fact
        self.assignments.append(fact)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
