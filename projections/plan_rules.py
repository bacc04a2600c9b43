"""Which plan covers a rep on a day: the most specific assignment in force.

rep:NAME beats manager:NAME (the rep's manager) beats region:NAME beats company; among
assignments of the same scope the one effective latest wins, then the later fact, then
the plan_id (two plans' assignments may share an event_id: arrival order never decides).
"""
from collections.abc import Iterable
from datetime import date
from typing import Any

__all__ = ["plan_for"]


def _rank(scope: str, rep: str, profile: dict[str, Any]) -> int | None:
    if scope == f"rep:{rep}":
        return 3
    if profile.get("manager") and scope == f"manager:{profile['manager']}":
        return 2
    if profile.get("region") and scope == f"region:{profile['region']}":
        return 1
    return 0 if scope == "company" else None


def plan_for(assignments: Iterable[dict[str, Any]], rep: str, profile: dict[str, Any], day: date) -> str | None:
    best: tuple[Any, ...] | None = None
    plan_id = None
    for a in assignments:
        rank = _rank(a["scope"], rep, profile)
        start, end = date.fromisoformat(a["effective_from"]), a["effective_to"]
        if rank is None or start > day or (end is not None and date.fromisoformat(end) <= day):
            continue
        key = (rank, start, a["occurred_at"], a["event_id"], a["plan_id"])
        if best is None or key > best:
            best, plan_id = key, a["plan_id"]
    return plan_id
