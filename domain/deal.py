"""The deal aggregate: every fact about one deal, and what they add up to.

Facts arrive in any order; the deal's outcome is decided by business order
`(occurred_at, event_id)`, so `won` before `opened` converges to the same deal. Each
recorded fact carries the outcome it led to, so followers of the ledger never need to
re-run the decision, and replay never re-runs business checks.
"""
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.exceptions import FactRefused
from domain.facts import DealFact, conflicts
from domain.ids import deal_uuid

__all__ = ["Deal", "decide_outcome", "fact_record"]


def fact_record(fact: DealFact) -> dict[str, Any]:
    """The fact as the ledger stores it (primitives, Decimal and datetime only)."""
    return {
        "event_id": fact.event_id,
        "deal_id": fact.deal_id,
        "kind": fact.kind,
        "occurred_at": fact.occurred_at,
        "source": fact.source,
        "rep_id": fact.rep_id,
        "currency": fact.currency,
        "amount": fact.amount,
        "product": fact.product,
        "account": fact.account,
        "splits": [[s.rep_id, s.share] for s in fact.splits],
        "overlays": [[s.rep_id, s.share] for s in fact.overlays],
        "estimated": fact.estimated,
        "credit_note_id": fact.credit_note_id,
    }


def decide_outcome(facts: list[dict[str, Any]]) -> dict[str, Any]:
    """Folds a deal's facts in business order into its current outcome.

    `opened` only sets the status of a deal nothing has decided yet; `won`, `lost` and
    `reopened` always do; any fact but `credited` may amend rep, amount, product, account,
    splits and overlays. `credited` records a credit note (keyed by its id) that takes back
    part or all of the won amount. A credit note belongs to the win it follows: each `won`
    starts afresh, so a note from before a reopen never reduces the re-win (won 1,000,
    credited 1,000, reopened, won 2,000: credited 2,000).
    """
    outcome: dict[str, Any] = {
        "status": None, "rep_id": None, "amount": None, "currency": None,
        "product": None, "account": None, "splits": [], "overlays": [], "credit_notes": {},
        "won_at": None, "won_event_id": None, "won_source": None, "opened_estimated": False,
    }
    for f in sorted(facts, key=lambda f: (f["occurred_at"], f["event_id"])):
        kind = f["kind"]
        if kind == "credited":
            outcome["credit_notes"][f["credit_note_id"]] = f["amount"]
            continue
        for name in ("rep_id", "amount", "currency", "product", "account"):
            if f[name] is not None:
                outcome[name] = f[name]
        for name in ("splits", "overlays"):
            if f.get(name):
                outcome[name] = f[name]
        if kind == "opened":
            outcome["opened_estimated"] = f["estimated"]
            if outcome["status"] is None:
                outcome["status"] = "open"
        elif kind == "won":
            outcome["status"], outcome["credit_notes"] = "won", {}
            outcome["won_at"], outcome["won_event_id"] = f["occurred_at"], f["event_id"]
            outcome["won_source"] = f["source"]
        elif kind in ("lost", "reopened"):
            outcome["status"] = "lost" if kind == "lost" else "open"
            outcome["won_at"] = outcome["won_event_id"] = outcome["won_source"] = None
    if outcome["status"] is None:
        outcome["status"] = "open"
    return outcome


class Deal(Aggregate):
    class Registered(Aggregate.Created):
        class_version = 1
        deal_id: str

    class FactRecorded(Aggregate.Event):
        class_version = 1
        fact: dict[str, Any]
        outcome: dict[str, Any]

    @staticmethod
    def create_id(deal_id: str) -> UUID:
        return deal_uuid(deal_id)

    @event(Registered)
    def __init__(self, deal_id: str) -> None:
        self.deal_id = deal_id
        self.facts: list[dict[str, Any]] = []
        self.applied: set[str] = set()
        self.outcome: dict[str, Any] = decide_outcome([])

    def record(self, fact: DealFact) -> bool:
        """Records a fact once; a fact already applied (same event_id) is a no-op."""
        stored = fact_record(fact)
        if fact.event_id in self.applied:
            earlier = next(f for f in self.facts if f["event_id"] == fact.event_id)
            if conflicts(stored, earlier):
                raise FactRefused("event_id", f"{fact.event_id!r} was already recorded with other content")
            return False
        self._recorded(fact=stored, outcome=decide_outcome([*self.facts, stored]))
        return True

    @event(FactRecorded)
    def _recorded(self, fact: dict[str, Any], outcome: dict[str, Any]) -> None:
        self.facts.append(fact)
        self.applied.add(fact["event_id"])
        self.outcome = outcome
