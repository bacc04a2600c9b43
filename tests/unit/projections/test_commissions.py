"""Commissions resolve team-scoped plans with the team in force on the period's first day."""
import random

from domain.board import Scope
from projections.memory_store import MemoryViewStore
from projections.projector import Projector
from projections.reader import Reader
from tests.helpers import RULES, Pipeline, close, deal, plan, rep, total, view_dump

WEST, EAST = plan("west", [["0", "0.10"]], scope="region:West"), plan("east", [["0", "0.20"]], scope="region:East")


def moved(name: str, day: str, region: str) -> dict:
    return {"event_id": f"t:move:{name}:{day}", "type": "rep.moved", "occurred_at": day, "source": "test",
            "rep_id": name, "region": region}


def test_a_team_move_leaves_past_periods_under_the_old_teams_plan():
    p = Pipeline()
    p.send(*WEST, *EAST, rep("amy", "Cy", "West"), deal("won", "A", "2017-02-01", amount="1000"))
    assert total(p, "2017-Q1") == "100.00"  # 1,000 x 10 % (West)
    p.send(moved("amy", "2017-07-01", "East"), deal("won", "B", "2017-08-01", amount="1000"))
    assert total(p, "2017-Q1") == "100.00"  # still West's plan
    assert total(p, "2017-Q3") == "200.00"  # 1,000 x 20 % (East from Q3's first day)


def test_a_move_during_a_period_applies_from_the_next_period():
    p = Pipeline()
    p.send(*WEST, *EAST, rep("amy", "Cy", "West"), moved("amy", "2017-05-15", "East"),
           deal("won", "A", "2017-06-01", amount="1000"), deal("won", "B", "2017-07-02", amount="1000"))
    assert (total(p, "2017-Q2"), total(p, "2017-Q3")) == ("100.00", "200.00")


def test_a_rep_who_joins_mid_period_is_paid_under_the_plan_of_the_team_they_joined():
    p = Pipeline()
    p.send(*WEST, *EAST, {**rep("zoe", "Cy", "East"), "occurred_at": "2017-08-16"},
           deal("won", "Z", "2017-09-01", rep="zoe", amount="1000"))
    assert total(p, "2017-Q3", "zoe") == "200.00"


def test_the_move_arriving_before_the_join_gives_the_same_statements():
    p = Pipeline()
    p.send(moved("amy", "2017-07-01", "East"), deal("won", "A", "2017-02-01", amount="1000"), *EAST,
           rep("amy", "Cy", "West"), *WEST, batch=1)
    assert total(p, "2017-Q1") == "100.00"


def test_boards_by_region_use_the_current_team():
    p = Pipeline()
    p.send(*WEST, rep("amy", "Cy", "West"), deal("won", "A", "2017-02-01", amount="1000"),
           moved("amy", "2017-07-01", "East"))
    east = Reader(p.store).board("revenue", "2017-Q1", Scope.parse("region:East"))
    assert [(r.rep, str(r.score)) for r in east] == [("amy", "1000.00")]


GUARANTEED = plan("floor", [["0", "0.10"]], minimum="1000")


def lines(p: Pipeline, quarter: str, who: str = "amy") -> list[tuple[str, str]]:
    return [(l["kind"], l["amount"]) for l in p.statement(who, quarter)["lines"]]


def test_a_plan_minimum_is_paid_to_a_rep_with_nothing_credited_up_to_the_ledgers_clock():
    p = Pipeline()
    p.send(*GUARANTEED, rep("amy", "Cy", "West"), deal("won", "B1", "2017-05-02", rep="bo", amount="20000"))
    assert (lines(p, "2017-Q1"), lines(p, "2017-Q2")) == ([("minimum", "1000.00")], [("minimum", "1000.00")])
    assert p.statement("amy", "2017-Q3") is None  # the ledger's clock is in 2017-Q2
    assert p.statement("amy", "2016-Q4") is None  # before amy joined (2017-01-01)


def test_the_clock_reaching_a_new_quarter_adds_its_minimum():
    p = Pipeline()
    p.send(*GUARANTEED, rep("amy", "Cy", "West"))
    assert p.statement("amy", "2017-Q2") is None
    p.send(deal("won", "B1", "2017-04-02", rep="bo", amount="100"))
    assert lines(p, "2017-Q2") == [("minimum", "1000.00")]


def test_a_new_version_without_a_minimum_withdraws_the_guarantee_from_its_quarters():
    p = Pipeline()
    p.send(*GUARANTEED, rep("amy", "Cy", "West"), deal("won", "B1", "2017-05-02", rep="bo", amount="100"))
    p.send(plan("floor", [["0", "0.10"]], version=2, effective_from="2017-04-01")[0])
    assert (p.statement("amy", "2017-Q1")["total"], p.statement("amy", "2017-Q2")) == ("1000.00", None)


def test_a_late_deal_in_a_closed_minimum_quarter_adjusts_only_what_exceeds_the_minimum():
    p = Pipeline()
    p.send(*GUARANTEED, rep("amy", "Cy", "West"), deal("won", "B1", "2017-05-02", rep="bo", amount="100"))
    p.send(close("2017-Q1", day="2017-07-01"))
    p.send(deal("won", "A", "2017-03-01", amount="5000"))  # 500.00 earned: the minimum still pays 1,000.00
    assert lines(p, "2017-Q2") == [("minimum", "1000.00")]
    p.send(deal("won", "C", "2017-03-02", amount="15000"))  # 20,000 x 10 % = 2,000.00: 1,000.00 more than paid
    assert lines(p, "2017-Q2") == [("minimum", "1000.00"), ("adjustment", "1000.00")]
    assert p.statement("amy", "2017-Q1")["total"] == "1000.00"  # the closed statement is untouched


def test_moves_and_minimums_are_order_insensitive_and_replay_to_the_same_views():
    east_floor = plan("east", [["0", "0.20"]], scope="region:East", minimum="1000")
    facts = [*WEST, *east_floor, rep("amy", "Cy", "West"), rep("bo", "Cy", "East"),
             moved("amy", "2017-04-01", "East"), deal("won", "A", "2017-02-01", amount="1000"),
             deal("won", "B", "2017-05-01", rep="bo", amount="30000"), deal("won", "C", "2017-08-01", amount="500")]
    dumps = []
    for seed in range(5):
        shuffled = list(facts)
        random.Random(seed).shuffle(shuffled)
        p = Pipeline()
        p.send(*shuffled, batch=2)
        rebuilt = MemoryViewStore()
        Projector(p.ledger, rebuilt, RULES).catch_up()
        assert view_dump(rebuilt) == view_dump(p.store)
        dumps.append(view_dump(p.store))
    assert all(d == dumps[0] for d in dumps)
    totals = {k: v["total"] for k, v in dumps[0]["statements"].items() if k[0] == "amy"}
    # Q1 West 1,000 x 10 %; from Q2 East: nothing credited in Q2, 500 x 20 % = 100 in Q3: the minimum
    assert totals == {("amy", "2017-Q1"): "100.00", ("amy", "2017-Q2"): "1000.00", ("amy", "2017-Q3"): "1000.00"}


def test_two_plans_assigned_under_one_event_id_pay_the_same_in_either_arrival_order():
    ten, twenty = plan("p1", [["0", "0.10"]]), plan("p2", [["0", "0.20"]])
    for raw in (ten[1], twenty[1]):
        raw["event_id"] = "crm:assign"  # the ledger checks event ids per plan: both are recorded
    totals = []
    for order in ([*ten, *twenty], [*twenty, *ten]):
        p = Pipeline()
        p.send(*order, deal("won", "A", "2017-04-01", amount="1000"))
        totals.append(total(p, "2017-Q2"))
    assert totals == ["200.00", "200.00"]  # p2 > p1 breaks the tie: 1,000 x 20 %
