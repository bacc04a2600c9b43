"""`tally demo --once --json` over the real export, checked against figures from the CSV."""
from collections import defaultdict
from decimal import Decimal

import orjson

from projections.sqlite_store import SqliteViewStore

from tests.e2e.conftest import run_tally
from tests.e2e.expected import agents, demo_commission, quarter, revenue_by_rep_quarter, won_rows


def test_summary_reports_won_deals_and_revenue_of_the_export(clean_run):
    _, summary = clean_run
    rows = won_rows()
    assert summary["deals_won"] == len(rows)
    assert Decimal(summary["won_revenue"]) == sum(Decimal(r["close_value"]) for r in rows)
    assert summary["won_revenue"].endswith(".00")
    assert summary["dead_letters"] == 0 and summary["events_ingested"] == summary["events_read"]


def test_the_acceptance_figures_hold(clean_run):
    _, summary = clean_run
    assert (summary["deals_won"], summary["won_revenue"]) == (4238, "10005534.00")
    per_quarter = revenue_by_rep_quarter()
    assert len(per_quarter) == 120
    assert sum(demo_commission(v) for v in per_quarter.values()) == Decimal("837754.73")


def test_every_statement_total_matches_the_plan_applied_by_hand(clean_run):
    state, _ = clean_run
    store = SqliteViewStore(state / "views.db")
    totals = {(rep, q): Decimal(t) for rep in agents() for q, t in store.statement_totals(rep).items()}
    assert totals == {k: demo_commission(v) for k, v in revenue_by_rep_quarter().items()}
    assert sum(totals.values()) == Decimal("837754.73")


def test_a_statement_explains_its_total_deal_by_deal(clean_run):
    state, _ = clean_run
    rep, q = "Darcel Schlecht", "2017-Q4"
    body = orjson.loads(run_tally("statement", rep, q, "--json", state=state))
    deals = {r["opportunity_id"]: Decimal(r["close_value"]) for r in won_rows()
             if r["sales_agent"] == rep and quarter(r["close_date"]) == q}
    credited: dict[str, Decimal] = defaultdict(Decimal)
    for line in body["lines"]:
        credited[line["deal"]] += Decimal(line["base"])
        assert Decimal(line["amount"]) == Decimal(line["base"]) * Decimal(line["rate"])
    assert credited == deals
    assert {line["tier"] for line in body["lines"]} == {1, 2, 3}  # this quarter reaches 150 %
    assert Decimal(body["total"]) == demo_commission(sum(deals.values()))


def test_company_board_lists_every_agent_with_their_won_revenue(clean_run):
    state, _ = clean_run
    board = orjson.loads(run_tally("board", "revenue", "--window", "all", "--json", state=state))
    expected = defaultdict(Decimal)
    for r in won_rows():
        expected[r["sales_agent"]] += Decimal(r["close_value"])
    assert {row["rep"]: Decimal(row["score"]) for row in board} == {a: expected[a] for a in agents()}
    assert len(board) == 35 and sum(1 for row in board if row["score"] == "0.00") == 5
    scores = [Decimal(row["score"]) for row in board]
    assert scores == sorted(scores, reverse=True)
    ranks = [row["rank"] for row in board]
    assert all(ranks[i] == (ranks[i - 1] if scores[i] == scores[i - 1] else i + 1) for i in range(1, len(board)))


def test_a_managers_quarter_board_holds_only_that_team(clean_run):
    state, _ = clean_run
    team = {a for a, (manager, _) in agents().items() if manager == "Dustin Brinkmann"}
    board = orjson.loads(run_tally("board", "deals", "--window", "2017-Q2", "--scope",
                                   "manager:Dustin Brinkmann", "--json", state=state))
    counts = defaultdict(int)
    for r in won_rows():
        if quarter(r["close_date"]) == "2017-Q2":
            counts[r["sales_agent"]] += 1
    assert {row["rep"]: int(row["score"]) for row in board} == {a: counts[a] for a in team}


def test_milestones_quota_reached_and_big_deals(clean_run):
    state, _ = clean_run
    fired = orjson.loads(run_tally("milestones", "--json", state=state))
    by_kind = defaultdict(list)
    for m in fired:
        by_kind[m["kind"]].append(m)
    per_quarter = revenue_by_rep_quarter()
    assert {(m["rep"], m["period"]) for m in by_kind["quota-reached"]} == {
        k for k, v in per_quarter.items() if v >= 150000}
    assert len(by_kind["quota-reached"]) == 7
    assert {m["deal_id"] for m in by_kind["big-deal"]} == {
        r["opportunity_id"] for r in won_rows() if int(r["close_value"]) >= 20000}
    assert len(by_kind["big-deal"]) == 15
    assert {m["rep"] for m in by_kind["first-deal"]} == {r["sales_agent"] for r in won_rows()}
