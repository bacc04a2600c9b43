"""The rep aggregate: who a rep reports to and where, as of the latest business fact."""
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.facts import RepFact
from domain.ids import rep_uuid

__all__ = ["Rep"]


class Rep(Aggregate):
    class Registered(Aggregate.Created):
        class_version = 1
        rep_id: str

    class FactRecorded(Aggregate.Event):
        class_version = 1
        fact: dict[str, Any]
        profile: dict[str, Any]

    @staticmethod
    def create_id(rep_id: str) -> UUID:
        return rep_uuid(rep_id)

    @event(Registered)
    def __init__(self, rep_id: str) -> None:
        self.rep_id = rep_id
        self.facts: list[dict[str, Any]] = []
        self.profile: dict[str, Any] = {"manager": None, "region": None, "joined_at": None}

    def record(self, fact: RepFact) -> bool:
        if any(f["event_id"] == fact.event_id for f in self.facts):
            return False
        stored = {
            "event_id": fact.event_id, "rep_id": fact.rep_id, "kind": fact.kind,
            "occurred_at": fact.occurred_at,
            "source": fact.source, "manager": fact.manager, "region": fact.region,
        }
        self._recorded(fact=stored, profile=_profile([*self.facts, stored]))
        return True

    @event(FactRecorded)
    def _recorded(self, fact: dict[str, Any], profile: dict[str, Any]) -> None:
        self.facts.append(fact)
        self.profile = profile


def _profile(facts: list[dict[str, Any]]) -> dict[str, Any]:
    profile: dict[str, Any] = {"manager": None, "region": None, "joined_at": None}
    for f in sorted(facts, key=lambda f: (f["occurred_at"], f["event_id"])):
        profile["manager"] = f["manager"] or profile["manager"]
        profile["region"] = f["region"] or profile["region"]
        if f["kind"] == "joined" and profile["joined_at"] is None:
            profile["joined_at"] = f["occurred_at"]
    return profile
