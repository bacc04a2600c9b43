"""Milestone upkeep: which milestones hold now, and which of them just changed state.

A milestone row is absolute (what reached it, when, in business time). It fires once for
its key: a key already fired is only updated, never pushed again; a reversal that takes a
rep back under revokes it (the row goes, a revocation is pushed). Pushing is left to the
caller, so rebuilds stay silent.
"""
from dataclasses import replace
from typing import TYPE_CHECKING

from domain.milestones import Reached, first_deal, is_big_deal, quota_reached
from domain.commission import Credit
from projections.views import CreditRow, MilestoneRow, ViewChanges
from projections.window_tally import WindowTally

if TYPE_CHECKING:
    from projections.commissions import CommissionBook
    from projections.scoring import Rules

__all__ = ["MilestoneTracker"]


class MilestoneTracker:
    def __init__(self, rows: list[MilestoneRow], rules: "Rules", book: "CommissionBook") -> None:
        self.rows = {r.key: r for r in rows}
        self.rules = rules
        self.book = book
        self._quarters: set[tuple[str, str]] = set()
        self._deals: set[str] = set()

    def touch(self, rep: str, quarter: str) -> None:
        self._quarters.add((rep, quarter))

    def touch_deal(self, deal_id: str) -> None:
        self._deals.add(deal_id)

    def recompute(self, credits: dict[str, list[CreditRow]], deals_in: dict[tuple[str, str], set[str]],
                  sold_in: dict[tuple[str, str], WindowTally], changes: ViewChanges) -> list[MilestoneRow]:
        """Settles every touched key; returns the rows that fired or were revoked."""
        def of(rep: str, quarter: str) -> list[Credit]:
            """A rep's credits in a quarter, overlays included (quota counts what the plan pays on)."""
            return [Credit(r.deal_id, r.amount, r.at, r.event_id) for d in deals_in.get((rep, quarter), ())
                    for r in credits[d] if r.rep == rep]

        def earliest_sold(rep: str) -> list[Credit]:
            """The candidate for a first deal: a rep's earliest split credit (an overlay is no deal won)."""
            tally = sold_in.get((rep, "all"))
            first = tally.first() if tally is not None else None
            return [] if first is None else [Credit(first.key, first.amount, first.at, first.event_id)]

        moved: list[MilestoneRow] = []
        for rep, quarter in sorted(self._quarters):  # quota: the attainment the statement pays on
            moved += self._settle(changes, f"quota-reached:{rep}:{quarter}", "quota-reached", rep,
                                  quarter, quota_reached(of(rep, quarter), self.book.quota(rep, quarter)))
        for rep in sorted({rep for rep, _ in self._quarters}):
            moved += self._settle(changes, f"first-deal:{rep}", "first-deal", rep, None, first_deal(earliest_sold(rep)))
        for deal_id in sorted(self._deals):
            rows = credits.get(deal_id, [])
            big = rows and is_big_deal(rows[0].deal_amount, self.rules.big_deal)
            reached = Reached(deal_id, rows[0].at, rows[0].event_id, rows[0].deal_amount) if big else None
            seller = rows[0].rep if rows else self._known_rep(f"big-deal:{deal_id}")
            if seller is not None:
                moved += self._settle(changes, f"big-deal:{deal_id}", "big-deal", seller, None, reached)
        self._quarters, self._deals = set(), set()
        return moved

    def _known_rep(self, key: str) -> str | None:
        row = self.rows.get(key)
        return row.rep if row else None

    def _settle(self, changes: ViewChanges, key: str, kind: str, rep: str, period: str | None,
                reached: Reached | None) -> list[MilestoneRow]:
        """Only milestones that hold are kept, so the view is a function of the facts; a
        milestone that stops holding is deleted and reported once as revoked."""
        old = self.rows.get(key)
        if reached is None:
            if old is None:
                return []
            del self.rows[key]
            changes.milestones[key] = None
            return [replace(old, status="revoked")]
        new = MilestoneRow(key, kind, rep, "fired", period, reached.deal_id, reached.value,
                           reached.at, reached.event_id)
        if new == old:
            return []
        self.rows[key] = changes.milestones[key] = new
        return [new] if old is None else []
