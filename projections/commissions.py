"""The commission book: plans, assignments, quotas and closes, and the statements they give.

Statements are recomputed, never patched: an open period's statement is a pure function of
its facts, plus one adjustment line per closed period whose figure has moved since it was
settled. Closing a period freezes its statements; what it then owed is `settled`, and any
later difference lands as an adjustment in the first open period after it.
"""
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

import orjson

from domain.commission import Adjustment, Credit, Gate, Statement, compute_statement
from domain.money import ZERO
from domain.periods import next_quarter, quarter_bounds, quarter_of
from domain.plan import Plan, plan_from_definition, version_in_force
from domain.quota import prorated_quota
from domain.rep import team_on
from projections.plan_rules import plan_for
from projections.views import ViewChanges

__all__ = ["CommissionBook"]

CreditsOf = Callable[[str, str], list[Credit]]


class CommissionBook:
    def __init__(self, documents: dict[str, dict[str, Any]], tz: tzinfo) -> None:
        self.tz = tz
        self.plans: dict[str, dict[int, Plan]] = {}
        self.assignments: dict[str, dict[str, Any]] = {}
        self.profiles: dict[str, dict[str, Any]] = {}
        self.teams: dict[str, list[dict[str, Any]]] = {}  # rep -> joins and moves (team history)
        self.closed: dict[str, int] = {}
        self.settled: dict[str, dict[str, Decimal]] = {}
        for key, doc in documents.items():
            kind, _, name = key.partition(":")
            if kind == "plan":
                self.plans.setdefault(doc["plan_id"], {})[doc["version"]] = plan_from_definition(doc)
            elif kind == "assignment":
                self.assignments[name] = doc
            elif kind == "profile":
                self.profiles[name] = doc
                self.teams[name] = [{**f, "occurred_at": datetime.fromisoformat(f["occurred_at"])}
                                    for f in doc.get("teams", [])]
            elif kind == "closed":
                self.closed[name] = doc["position"]
            elif kind == "settled":
                self.settled[name] = {p: Decimal(v) for p, v in doc.items()}
        clock = documents.get("clock", {}).get("latest")
        self.horizon = quarter_of(datetime.fromisoformat(clock), tz) if clock else None
        self.dirty: set[tuple[str, str]] = set()
        # what the stored statements were computed with: every input is a stored document
        self._previous: dict[str, set[str]] = _minimum_quarters(self)
        self._guaranteed: dict[str, set[str]] | None = self._previous

    # -- facts -------------------------------------------------------------------------
    def publish(self, definition: dict[str, Any], changes: ViewChanges) -> None:
        plan = plan_from_definition(definition)
        self.plans.setdefault(plan.plan_id, {})[plan.version] = plan
        changes.documents[f"plan:{plan.plan_id}:{plan.version}"] = definition
        self._changed()

    def assign(self, fact: dict[str, Any], changes: ViewChanges) -> None:
        """Keyed by plan and event_id: the ledger checks an event_id within one plan only, so
        two plans' assignments reusing one event_id are two facts, and neither hides the other."""
        name = orjson.dumps([fact["plan_id"], fact["event_id"]]).decode()
        self.assignments[name] = changes.documents[f"assignment:{name}"] = {
            k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fact.items()}
        self._changed()

    def profile(self, rep: str, profile: dict[str, Any], fact: dict[str, Any], changes: ViewChanges) -> None:
        """`fact` is the rep fact that led to `profile`: a join or move joins the team history."""
        teams = self.teams.setdefault(rep, [])
        if fact["kind"] != "quota" and all(f["event_id"] != fact["event_id"] for f in teams):
            teams.append({k: fact[k] for k in ("event_id", "kind", "occurred_at", "manager", "region")})
            teams.sort(key=lambda f: (f["occurred_at"], f["event_id"]))
        joined = profile["joined_at"]  # the business day in TALLY_TZ, not in the event's own offset
        doc = {"joined_on": joined.astimezone(self.tz).date().isoformat() if joined else None,
               "manager": profile["manager"], "region": profile["region"],
               "quotas": {p: str(a) for p, a in profile.get("quotas", {}).items()},
               "teams": [{**f, "occurred_at": f["occurred_at"].isoformat()} for f in teams]}
        if self.profiles.get(rep) != doc:
            self.profiles[rep] = changes.documents[f"profile:{rep}"] = doc
            self.dirty.add((rep, "*"))
            self._guaranteed = None

    def saw(self, at: datetime) -> None:
        """The ledger's clock moved: guaranteed minimums reach up to its quarter."""
        quarter = quarter_of(at, self.tz)
        if self.horizon is None or quarter > self.horizon:
            self.horizon, self._guaranteed = quarter, None

    def touch(self, rep: str, quarter: str) -> None:
        self.dirty.add((rep, quarter))

    def _changed(self) -> None:
        self.dirty.add(("*", "*"))
        self._guaranteed = None

    def guaranteed(self) -> dict[str, set[str]]:
        """Rep -> quarters a plan minimum is due in, whether or not anything was credited: from
        the rep's first join or move to the quarter of the ledger's clock. A quarter that
        enters or leaves this set is recomputed, also after a restart: the set the stored
        statements were made with is recomputed from the stored documents."""
        if self._guaranteed is None:
            fresh = _minimum_quarters(self)
            for rep in set(fresh) | set(self._previous):
                self.dirty |= {(rep, q) for q in fresh.get(rep, set()) ^ self._previous.get(rep, set())}
            self._guaranteed = self._previous = fresh
        return self._guaranteed

    # -- rules -------------------------------------------------------------------------
    def plan(self, rep: str, quarter: str) -> Plan | None:
        start = quarter_bounds(quarter)[0]
        teams = self.teams.get(rep)
        team = team_on(teams, start, self.tz) if teams else self.profiles.get(rep, {})
        plan_id = plan_for(self.assignments.values(), rep, team, start)
        return version_in_force(list(self.plans.get(plan_id, {}).values()), start) if plan_id else None

    def quota(self, rep: str, quarter: str, plan: Plan | None = None) -> Decimal:
        profile = self.profiles.get(rep, {})
        plan = plan or self.plan(rep, quarter)
        raw = profile.get("quotas", {}).get(quarter)
        quota = Decimal(raw) if raw is not None else (plan.quota if plan and plan.quota else ZERO)
        joined = profile.get("joined_on")
        return prorated_quota(quota, quarter, date.fromisoformat(joined) if joined else None)

    def statement(self, rep: str, quarter: str, credits_of: CreditsOf,
                  adjustments: tuple[Adjustment, ...] = ()) -> Statement:
        """A minimum is due in a quarter with credits, or one the rep is on the plan for
        (`guaranteed`); an adjustment landing alone does not make a minimum due."""
        plan = self.plan(rep, quarter)
        credits = credits_of(rep, quarter)
        gate = None
        if plan is not None and plan.gate:
            earlier = [f"{quarter[:4]}-Q{i}" for i in range(1, int(quarter[-1]))]
            ytd = sum((c.amount for q in earlier for c in credits_of(rep, q)), ZERO)
            gate = Gate(ytd + sum((c.amount for c in credits), ZERO),
                        sum((self.quota(rep, q) for q in [*earlier, quarter]), ZERO))
        due = bool(credits) or quarter in self.guaranteed().get(rep, set())
        return compute_statement(rep, quarter, plan, self.quota(rep, quarter, plan), credits,
                                 gate=gate, adjustments=adjustments, minimum_due=due)

    def target(self, quarter: str) -> str:
        """The first open period after a closed one: where its late differences land."""
        q = next_quarter(quarter)
        while q in self.closed:
            q = next_quarter(q)
        return q


def _minimum_quarters(book: CommissionBook) -> dict[str, set[str]]:
    if book.horizon is None or all(p.minimum is None for v in book.plans.values() for p in v.values()):
        return {}
    out: dict[str, set[str]] = {}
    for rep, teams in book.teams.items():
        if not teams:
            continue
        quarter = quarter_of(teams[0]["occurred_at"], book.tz)
        while quarter <= book.horizon:
            plan = book.plan(rep, quarter)
            if plan is not None and plan.minimum:
                out.setdefault(rep, set()).add(quarter)
            quarter = next_quarter(quarter)
    return out
