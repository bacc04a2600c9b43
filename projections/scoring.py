"""The scoring model: credits, activities and reps in memory, recomputed into absolute rows.

Events mark what they touch dirty; `drain` recomputes only those rows from the facts in
memory and hands back the row changes plus the change-feed messages for them.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from domain.commission import Credit, Plan, compute_statement
from domain.credit import split_credit
from domain.periods import window_kind, windows_of
from projections.milestone_rules import MilestoneTracker
from projections.statements import statement_json
from projections.views import ActivityRow, CreditRow, RepRow, ScoreRow, ViewChanges, WorkingSet

__all__ = ["Rules", "Scoreboard"]

Key = tuple[str, str]  # (rep, window)


@dataclass(frozen=True)
class Rules:
    tz: tzinfo
    plan: Plan
    points: dict[str, Decimal]
    big_deal: Decimal


class Scoreboard:
    def __init__(self, working: WorkingSet, rules: Rules) -> None:
        self.rules = rules
        self.credits: dict[str, list[CreditRow]] = {}
        self.deals_in: dict[Key, set[str]] = defaultdict(set)
        self.activities: dict[str, ActivityRow] = {}
        self.activities_in: dict[Key, set[str]] = defaultdict(set)
        self.reps = {r.rep: r for r in working.reps}
        self.milestones = MilestoneTracker(working.milestones, rules)
        self._changes = ViewChanges()
        self._dirty_deals: set[Key] = set()
        self._dirty_activity: set[Key] = set()
        for row in working.credits:
            self.credits.setdefault(row.deal_id, []).append(row)
            self._index(self.deals_in, row.rep, row.at, row.deal_id, add=True)
        for act in working.activities:
            self.activities[act.activity_id] = act
            self._index(self.activities_in, act.rep, act.at, act.activity_id, add=True)

    def _index(self, index: dict[Key, set[str]], rep: str, at: Any, key: str, *, add: bool) -> list[Key]:
        keys = [(rep, w) for w in windows_of(at, self.rules.tz)]
        for k in keys:
            (index[k].add if add else index[k].discard)(key)
        return keys

    def deal_outcome(self, deal_id: str, outcome: dict[str, Any]) -> None:
        rows: list[CreditRow] = []
        if outcome["status"] == "won" and outcome["amount"] is not None:
            rows = [CreditRow(deal_id, rep, part, outcome["amount"], outcome["won_at"],
                              outcome["won_event_id"])
                    for rep, part in split_credit(outcome["amount"], outcome["rep_id"],
                                                  outcome["splits"])]
        old = self.credits.get(deal_id, [])
        if old == rows:
            return
        for row, add in [(r, False) for r in old] + [(r, True) for r in rows]:
            keys = self._index(self.deals_in, row.rep, row.at, deal_id, add=add)
            self._dirty_deals.update(keys)
            self.milestones.touch(row.rep, keys[1][1])
        self.milestones.touch_deal(deal_id)
        if rows:
            self.credits[deal_id] = rows
        else:
            self.credits.pop(deal_id, None)
        self._changes.credits[deal_id] = rows

    def activity(self, fact: dict[str, Any]) -> None:
        row = ActivityRow(fact["activity_id"], fact["rep_id"], fact["kind"],
                          self.rules.points.get(fact["kind"], Decimal(0)),
                          fact["occurred_at"], fact["event_id"])
        old = self.activities.get(row.activity_id)
        if old == row:
            return
        if old is not None:
            self._dirty_activity.update(self._index(self.activities_in, old.rep, old.at, old.activity_id, add=False))
        self._dirty_activity.update(self._index(self.activities_in, row.rep, row.at, row.activity_id, add=True))
        self.activities[row.activity_id] = self._changes.activities[row.activity_id] = row

    def rep(self, rep_id: str, profile: dict[str, Any]) -> None:
        row = RepRow(rep_id, profile["manager"], profile["region"])
        if self.reps.get(rep_id) != row:
            self.reps[rep_id] = self._changes.reps[rep_id] = row

    def drain(self, *, notify: bool) -> tuple[ViewChanges, list[tuple[str, dict[str, Any]]]]:
        """Recomputes every dirty row; returns the changes and the feed messages."""
        changes, self._changes = self._changes, ViewChanges()
        feed: list[tuple[str, dict[str, Any]]] = []
        boards: set[tuple[str, str]] = set()
        touched_reps: set[str] = set(changes.reps)
        for rep, window in sorted(self._dirty_deals):
            rows = [r for d in self.deals_in[(rep, window)] for r in self.credits[d] if r.rep == rep]
            self._score(changes, "revenue", rep, window, [(r.amount, r.at, r.event_id) for r in rows])
            self._score(changes, "deals", rep, window, [(Decimal(1), r.at, r.event_id) for r in rows])
            boards.update({("revenue", window), ("deals", window)})
            touched_reps.add(rep)
            if window_kind(window) == "quarter":
                self._statement(changes, rep, window, rows)
        for rep, window in sorted(self._dirty_activity):
            acts = [self.activities[a] for a in self.activities_in[(rep, window)]]
            self._score(changes, "activity", rep, window, [(a.points, a.at, a.event_id) for a in acts])
            boards.add(("activity", window))
            touched_reps.add(rep)
        self._dirty_deals, self._dirty_activity = set(), set()
        transitions = self.milestones.recompute(self.credits, self.deals_in, changes)
        feed += [("board", {"metric": m, "window": w}) for m, w in sorted(boards)]
        feed += [("rep", {"rep": r}) for r in sorted(touched_reps)]
        if notify:
            feed += [("milestone", self._milestone_message(m)) for m in transitions]
        return changes, feed

    def _score(self, changes: ViewChanges, metric: str, rep: str, window: str,
               parts: list[tuple[Decimal, Any, str]]) -> None:
        key = (metric, window, rep)
        if not parts:
            changes.scores[key] = None
            return
        _, at, event_id = max(parts, key=lambda p: (p[1], p[2]))
        changes.scores[key] = ScoreRow(metric, window, rep, sum((p[0] for p in parts), Decimal(0)), at, event_id)

    def _statement(self, changes: ViewChanges, rep: str, quarter: str, rows: list[CreditRow]) -> None:
        if not rows:
            changes.statements[(rep, quarter)] = None
            return
        credits = [Credit(r.deal_id, r.amount, r.at, r.event_id) for r in rows]
        statement = compute_statement(rep, quarter, self.rules.plan, credits)
        changes.statements[(rep, quarter)] = statement_json(statement)

    def _milestone_message(self, row: Any) -> dict[str, Any]:
        team = self.reps.get(row.rep)
        return {**row.as_json(), "region": team.region if team else None,
                "manager": team.manager if team else None}
