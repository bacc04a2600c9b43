"""Commissions resolve team-scoped plans with the team in force on the period's first day."""
from domain.board import Scope
from projections.reader import Reader
from tests.helpers import Pipeline, deal, plan, rep

WEST, EAST = plan("west", [["0", "0.10"]], scope="region:West"), plan("east", [["0", "0.20"]], scope="region:East")


def moved(name: str, day: str, region: str) -> dict:
    return {"event_id": f"t:move:{name}:{day}", "type": "rep.moved", "occurred_at": day, "source": "test",
            "rep_id": name, "region": region}


def total(p: Pipeline, quarter: str, who: str = "amy") -> str:
    return p.statement(who, quarter)["total"]


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
    assert [(r.rep, str(r.score)) for r in east] == [("amy", "1000")]
