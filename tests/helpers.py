"""Assert helpers shared by the suites: build a pipeline, dump every view for comparison, a
change feed that can go out of reach."""
from datetime import timezone
from decimal import Decimal
from typing import Any

from domain.ledger import Ledger
from projections.audit import dump
from projections.changefeed import Change, MemoryChangeFeed
from projections.memory_store import MemoryViewStore
from projections.projector import Projector
from projections.scoring import Rules
from streams.deadletter import MemoryDeadLetters
from streams.ingest import Door

RULES = Rules(tz=timezone.utc, points={"email": Decimal(1), "call": Decimal(3), "meeting": Decimal(10)},
              big_deal=Decimal(20000))
DEMO_TIERS = [["0", "0.08"], ["1", "0.12"], ["1.5", "0.15"]]


class Pipeline:
    """An in-memory ledger, view store and feed, wired like the embedded mode."""

    def __init__(self, store=None) -> None:
        self.ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        self.store = store or MemoryViewStore()
        self.feed = MemoryChangeFeed()
        self.door = Door(MemoryDeadLetters(), tz=timezone.utc, currency="USD")
        self.projector = Projector(self.ledger, self.store, RULES, feed=self.feed)

    def send(self, *raws: dict[str, Any], batch: int = 100) -> None:
        screened = self.door.screen(raws)
        facts = screened.facts
        for start in range(0, len(facts), batch):
            self.ledger.record(facts[start:start + batch],
                               lambda fact, refusal: self.door.ledger_refused(screened.raw_of(fact), refusal))
            self.projector.catch_up()

    def statement(self, rep_id: str, quarter: str) -> dict[str, Any] | None:
        return self.store.statement(rep_id, quarter)

    def messages(self, kind: str) -> list[dict[str, Any]]:
        return [c.data for c in self.feed.read(self.feed.epoch, 0, 10**9) if c.kind == kind]


def view_dump(store) -> dict[str, Any]:
    """Everything a reader can see, in a canonical order (positions left out)."""
    return dump(store.snapshot())


def plan(plan_id: str, tiers: list, *, version: int = 1, effective_from: str = "2016-10-01",
         scope: str = "company", **terms: Any) -> list[dict]:
    """plan.published + plan.assigned inbound events."""
    published = {"event_id": f"t:plan:{plan_id}:v{version}", "type": "plan.published",
                 "occurred_at": effective_from, "source": "test", "plan_id": plan_id,
                 "version": version, "effective_from": effective_from, "tiers": tiers, **terms}
    assigned = {"event_id": f"t:plan:{plan_id}:{scope}:{effective_from}", "type": "plan.assigned",
                "occurred_at": effective_from, "source": "test", "plan_id": plan_id, "scope": scope,
                "effective_from": effective_from}
    return [published, assigned]


def demo_plan() -> list[dict]:
    return plan("demo", DEMO_TIERS, quota="150000")


def deal(kind: str, deal_id: str, day: str, rep: str = "amy", amount: str | None = None, **extra) -> dict:
    raw = {"event_id": f"t:{deal_id}:{kind}", "type": f"deal.{kind}", "occurred_at": day,
           "source": "test", "deal_id": deal_id, "rep_id": rep, "currency": "USD", **extra}
    if amount is not None:
        raw["amount"] = amount
    return raw


def rep(name: str, manager: str, region: str) -> dict:
    return {"event_id": f"t:rep:{name}", "type": "rep.joined", "occurred_at": "2017-01-01",
            "source": "test", "rep_id": name, "manager": manager, "region": region}


def activity(n: int, rep_id: str, kind: str, at: str) -> dict:
    return {"event_id": f"t:act:{n}", "type": "activity.logged", "occurred_at": at, "source": "test",
            "activity_id": f"A{n}", "rep_id": rep_id, "kind": kind}


def close(quarter: str, n: int = 1, day: str = "2018-01-01") -> dict:
    """period.closed; `day` is its business time (closes never move the ledger's clock)."""
    return {"event_id": f"t:close:{quarter}:{n}", "type": "period.closed", "occurred_at": day,
            "source": "test", "period": quarter}


def total(p: Pipeline, quarter: str, rep_id: str = "amy") -> str | None:
    """A rep's statement total for a quarter, None when there is no statement."""
    s = p.statement(rep_id, quarter)
    return None if s is None else s["total"]


def ledger_records(ledger: Ledger) -> list[Any]:
    """Every notification the ledger holds, read page by page from its store."""
    records: list[Any] = []
    while notes := ledger.recorder.select_notifications(records[-1].id if records else 0, 10_000,
                                                         inclusive_of_start=False):
        records += notes
    return records


class Outage(ConnectionError):
    """What a store client raises when its server is gone (the gateway is told this type)."""


class FlakyFeed:
    """A change feed that can go out of reach, and come back empty (a new feed, a new epoch)."""

    def __init__(self, feed: MemoryChangeFeed) -> None:
        self.feed = feed
        self.down = False

    def _reach(self) -> MemoryChangeFeed:
        if self.down:
            raise Outage("Connection refused")
        return self.feed

    @property
    def epoch(self) -> str:
        return self._reach().epoch

    def publish(self, changes: list[tuple[str, dict[str, Any]]]) -> int:
        return self.feed.publish(changes)

    def read(self, epoch: str, after: int, limit: int = 1000) -> list[Change]:
        return self._reach().read(epoch, after, limit)

    def last_offset(self) -> int:
        return self._reach().last_offset()
