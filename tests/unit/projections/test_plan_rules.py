"""Which plan covers a rep on a day: the most specific assignment in force, effective_to exclusive."""
from datetime import date

from projections.plan_rules import plan_for

AMY = {"manager": "Cy", "region": "West"}


def assigned(plan_id: str, scope: str, start: str, end: str | None = None, n: int = 0) -> dict:
    return {"plan_id": plan_id, "scope": scope, "effective_from": start, "effective_to": end,
            "occurred_at": start, "event_id": f"e{n}:{plan_id}"}


EVERY_SCOPE = [assigned("all", "company", "2017-01-01"), assigned("west", "region:West", "2017-01-01"),
               assigned("cy", "manager:Cy", "2017-01-01"), assigned("amy", "rep:amy", "2017-01-01")]


def test_rep_beats_manager_beats_region_beats_company():
    on = date(2017, 4, 1)
    assert [plan_for(EVERY_SCOPE[:n], "amy", AMY, on) for n in (1, 2, 3, 4)] == ["all", "west", "cy", "amy"]


def test_assignments_of_other_teams_and_reps_do_not_apply():
    others = [assigned("east", "region:East", "2017-01-01"), assigned("dee", "manager:Dee", "2017-01-01"),
              assigned("bo", "rep:bo", "2017-01-01")]
    assert plan_for(others, "amy", AMY, date(2017, 4, 1)) is None
    assert plan_for([*others, EVERY_SCOPE[0]], "amy", AMY, date(2017, 4, 1)) == "all"


def test_effective_to_is_exclusive_and_the_broader_scope_applies_again_after_it():
    book = [EVERY_SCOPE[0], assigned("amy", "rep:amy", "2017-01-01", "2017-07-01")]
    assert [plan_for(book, "amy", AMY, date(2017, m, 1)) for m in (1, 4, 7)] == ["amy", "amy", "all"]


def test_an_assignment_applies_from_its_effective_from_day():
    book = [assigned("all", "company", "2017-04-01")]
    assert [plan_for(book, "amy", AMY, d) for d in (date(2017, 3, 31), date(2017, 4, 1))] == [None, "all"]


def test_for_one_scope_the_assignment_that_starts_latest_wins():
    book = [assigned("new", "company", "2017-07-01", n=1), assigned("old", "company", "2017-01-01", n=2)]
    assert [plan_for(book, "amy", AMY, date(2017, m, 1)) for m in (4, 7, 10)] == ["old", "new", "new"]


def test_two_plans_assigned_under_one_event_id_resolve_by_plan_id_whatever_their_order():
    twins = [{**assigned(name, "company", "2017-01-01"), "event_id": "crm:assign"} for name in ("p2", "p1")]
    assert [plan_for(book, "amy", AMY, date(2017, 4, 1)) for book in (twins, twins[::-1])] == ["p2", "p2"]
