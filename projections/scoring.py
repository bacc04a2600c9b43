"""The scoring model: credits, activities and reps in memory, recomputed into absolute rows.

Events mark what they touch dirty; `drain` recomputes only those rows from the facts in
memory and hands back the row changes plus the change-feed messages for them. Board rows
come from running window tallies, so a deal costs the same whatever the rep's history.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from domain.commission import Credit
from domain.credit import credit_parts
from domain.periods import windows_of
from projections.commissions import CommissionBook
from projections.milestone_rules import MilestoneTracker
from projections.settlement import close_period, settle
from projections.views import ActivityRow, CreditRow, RepRow, ScoreRow, ViewChanges, WorkingSet
from projections.window_tally import Entry, WindowTally

__all__ = ["Rules", "Scoreboard"]

Key = tuple[str, str]  # (rep, window)


@dataclass(frozen=True)
class Rules:
    tz: tzinfo
    points: dict[str, Decimal]
    big_deal: Decimal


class Scoreboard:
    def __init__(self, working: WorkingSet, rules: Rules) -> None:
        self.rules = rules
        self.credits: dict[str, list[CreditRow]] = {}
        self.deals_in: dict[Key, set[str]] = defaultdict(set)  # every credit: commissions
        self.sold_in: dict[Key, WindowTally] = defaultdict(WindowTally)  # sold credit: boards, first deal
        self.activities: dict[str, ActivityRow] = {}
        self.activities_in: dict[Key, WindowTally] = defaultdict(WindowTally)
        self.reps = {r.rep: r for r in working.reps}
        self.book = CommissionBook(working.documents, rules.tz)
        self.milestones = MilestoneTracker(working.milestones, rules, self.book)
        clock = working.documents.get("clock", {}).get("latest")
        self.latest: datetime | None = datetime.fromisoformat(clock) if clock else None
        self._changes = ViewChanges()
        self._dirty_deals: set[Key] = set()
        self._dirty_activity: set[Key] = set()
        for row in working.credits:
            self.credits.setdefault(row.deal_id, []).append(row)
            self._file_credit(row, add=True)
        for act in working.activities:
            self.activities[act.activity_id] = act
            self._file_activity(act, add=True)

    def _file_credit(self, row: CreditRow, *, add: bool) -> list[Key]:
        """Files a credit under (or takes it out of) its rep's windows; returns them."""
        keys = [(row.rep, w) for w in windows_of(row.at, self.rules.tz)]
        entry = Entry(row.at, row.event_id, row.deal_id, row.amount)
        for k in keys:
            if add:
                self.deals_in[k].add(row.deal_id)
                if row.sold:
                    self.sold_in[k].add(entry)
            else:
                self.deals_in[k].discard(row.deal_id)
                if row.sold:
                    self.sold_in[k].remove(row.deal_id)
        return keys

    def _file_activity(self, act: ActivityRow, *, add: bool) -> list[Key]:
        keys = [(act.rep, w) for w in windows_of(act.at, self.rules.tz)]
        entry = Entry(act.at, act.event_id, act.activity_id, act.points)
        for k in keys:
            if add:
                self.activities_in[k].add(entry)
            else:
                self.activities_in[k].remove(act.activity_id)
        return keys

    def saw(self, at: datetime) -> None:
        """Keeps the ledger's clock, the latest business time of a sales fact: `now` for
        what-if estimates, and how far plan minimums reach."""
        if self.latest is None or at > self.latest:
            self.latest = at
            self._changes.documents["clock"] = {"latest": at.isoformat()}
            self.book.saw(at)

    def credits_of(self, rep: str, quarter: str) -> list[Credit]:
        return [Credit(r.deal_id, r.amount, r.at, r.event_id, r.position, r.source)
                for d in self.deals_in.get((rep, quarter), ()) for r in self.credits[d] if r.rep == rep]

    def knows(self, rep: str) -> bool:
        """Has the ledger any fact about this rep (a join or move, a credit, an activity)?"""
        return rep in self.reps or bool(self.deals_in.get((rep, "all")) or self.activities_in.get((rep, "all")))

    def quarters(self) -> dict[str, set[str]]:
        """Rep -> quarters with a statement to keep: credited ones, and guaranteed minimums."""
        out: dict[str, set[str]] = defaultdict(set)
        for (rep, window), deals in self.deals_in.items():
            if deals and "-Q" in window:
                out[rep].add(window)
        for rep, quarters in self.book.guaranteed().items():
            out[rep] |= quarters
        return out

    def deal_outcome(self, deal_id: str, outcome: dict[str, Any], position: int) -> None:
        """`position` is the ledger position of this fact: it becomes the position of the
        deal's credit when this fact is what won it."""
        old = self.credits.get(deal_id, [])
        rows: list[CreditRow] = []
        if outcome["status"] == "won" and outcome["amount"] is not None:
            won_event = outcome["won_event_id"]
            kept = next((r.position for r in old if r.event_id == won_event), position)
            net, parts = credit_parts(outcome)
            rows = [CreditRow(deal_id, rep, part, net, outcome["won_at"], won_event, kept,
                              outcome["won_source"] or "", role) for rep, part, role in parts]
        if old == rows:
            return
        for row, add in [(r, False) for r in old] + [(r, True) for r in rows]:
            keys = self._file_credit(row, add=add)
            self._dirty_deals.update(keys)
            self.milestones.touch(row.rep, keys[1][1])
            self.book.touch(row.rep, keys[1][1])
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
            self._dirty_activity.update(self._file_activity(old, add=False))
        self._dirty_activity.update(self._file_activity(row, add=True))
        self.activities[row.activity_id] = self._changes.activities[row.activity_id] = row

    def rep(self, rep_id: str, profile: dict[str, Any], fact: dict[str, Any]) -> None:
        """Boards use the rep's current team; commissions keep the team history (`fact`). A
        `quota.set` alone does not put a rep on the boards: a join or a move does."""
        row = RepRow(rep_id, profile["manager"], profile["region"])
        if fact["kind"] != "quota" and self.reps.get(rep_id) != row:
            self.reps[rep_id] = self._changes.reps[rep_id] = row
        self.book.profile(rep_id, profile, fact, self._changes)
        self._requota({rep_id})

    def plan_fact(self, kind: str, fact: dict[str, Any]) -> None:
        if kind == "published":
            self.book.publish(fact["definition"], self._changes)
        else:
            self.book.assign(fact, self._changes)
        self._requota(None)

    def _requota(self, reps: set[str] | None) -> None:
        """Quotas may have moved: every quota milestone of these reps is looked at again."""
        for rep, quarters in self.quarters().items():
            for quarter in quarters if reps is None or rep in reps else ():
                self.milestones.touch(rep, quarter)

    def close(self, quarter: str, position: int) -> None:
        close_period(self.book, quarter, position, self.credits_of, self.quarters, self._changes)

    def drain(self, *, notify: bool) -> tuple[ViewChanges, list[tuple[str, dict[str, Any]]]]:
        """Recomputes every dirty row; returns the changes and the feed messages."""
        settle(self.book, self.credits_of, self.quarters, self._changes)
        changes, self._changes = self._changes, ViewChanges()
        boards: set[tuple[str, str]] = set()
        touched_reps: set[str] = set(changes.reps) | {rep for rep, _ in changes.statements}
        for rep, window in sorted(self._dirty_deals):
            sold = self.sold_in[(rep, window)]
            self._score(changes, "revenue", rep, window, sold.last(), sold.total())
            self._score(changes, "deals", rep, window, sold.last(), Decimal(len(sold)))
            boards.update({("revenue", window), ("deals", window)})
            touched_reps.add(rep)
        for rep, window in sorted(self._dirty_activity):
            acts = self.activities_in[(rep, window)]
            self._score(changes, "activity", rep, window, acts.last(), acts.total())
            boards.add(("activity", window))
            touched_reps.add(rep)
        self._dirty_deals, self._dirty_activity = set(), set()
        transitions = self.milestones.recompute(self.credits, self.deals_in, self.sold_in, changes)
        feed = [("board", {"metric": m, "window": w}) for m, w in sorted(boards)]
        feed += [("rep", {"rep": r}) for r in sorted(touched_reps)]
        if notify:
            feed += [("milestone", self._milestone_message(m)) for m in transitions]
        return changes, feed

    def _score(self, changes: ViewChanges, metric: str, rep: str, window: str, last: Entry | None,
               score: Decimal) -> None:
        """The row: the score, reached at the window's latest entry; none for an empty window."""
        changes.scores[(metric, window, rep)] = (
            None if last is None else ScoreRow(metric, window, rep, score, last.at, last.event_id))

    def _milestone_message(self, row: Any) -> dict[str, Any]:
        team = self.reps.get(row.rep)
        return {**row.as_json(), "region": team.region if team else None,
                "manager": team.manager if team else None}
