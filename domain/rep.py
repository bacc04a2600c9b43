"""The rep aggregate: who a rep reports to, where, since when, and their quotas.

The profile is decided in business order, so a late `rep.moved` or `quota.set` that
happened earlier never overrides one that happened later. The profile is the rep's current
team (boards use it); commissions use the team in force on a period's first day (`team_on`).
"""
from datetime import date, tzinfo
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.exceptions import FactRefused
from domain.facts import QuotaFact, RepFact, conflicts
from domain.ids import rep_uuid

__all__ = ["Rep", "team_on"]


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
        self.profile: dict[str, Any] = _profile([])

    def record(self, fact: RepFact | QuotaFact) -> bool:
        stored: dict[str, Any] = {"event_id": fact.event_id, "rep_id": fact.rep_id,
                                  "occurred_at": fact.occurred_at, "source": fact.source}
        if isinstance(fact, QuotaFact):
            stored.update(kind="quota", period=fact.period, amount=fact.amount)
        else:
            stored.update(kind=fact.kind, manager=fact.manager, region=fact.region)
        earlier = next((f for f in self.facts if f["event_id"] == fact.event_id), None)
        if earlier is not None:
            if conflicts(stored, earlier):
                raise FactRefused("event_id", f"{fact.event_id!r} was already recorded with other content")
            return False
        self._recorded(fact=stored, profile=_profile([*self.facts, stored]))
        return True

    @event(FactRecorded)
    def _recorded(self, fact: dict[str, Any], profile: dict[str, Any]) -> None:
        self.facts.append(fact)
        self.profile = profile


def _profile(facts: list[dict[str, Any]]) -> dict[str, Any]:
    profile: dict[str, Any] = {"manager": None, "region": None, "joined_at": None, "quotas": {}}
    for f in sorted(facts, key=_order):
        if f["kind"] == "quota":
            profile["quotas"][f["period"]] = f["amount"]
            continue
        _move(profile, f)
        if f["kind"] == "joined" and profile["joined_at"] is None:
            profile["joined_at"] = f["occurred_at"]
    return profile


def team_on(facts: list[dict[str, Any]], day: date, tz: tzinfo) -> dict[str, str | None]:
    """The team (manager, region) in force on a business day: the rep's joins and moves in
    business order up to that day; a rep who joined after it has the team they joined."""
    moves = sorted((f for f in facts if f["kind"] != "quota"), key=_order)
    team: dict[str, str | None] = {"manager": None, "region": None}
    for f in [f for f in moves if f["occurred_at"].astimezone(tz).date() <= day] or moves[:1]:
        _move(team, f)
    return team


def _move(team: dict[str, Any], fact: dict[str, Any]) -> None:
    team["manager"] = fact["manager"] or team["manager"]
    team["region"] = fact["region"] or team["region"]


def _order(fact: dict[str, Any]) -> tuple[Any, str]:
    return fact["occurred_at"], fact["event_id"]
