from datetime import datetime, timezone
from decimal import Decimal

import pytest

from domain.board import Scope, Score, rank


def at(day: int) -> datetime:
    return datetime(2017, 5, day, tzinfo=timezone.utc)


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    rows = rank([Score("a", Decimal(50), at(1), "e1"), Score("b", Decimal(50), at(2), "e2"),
                 Score("c", Decimal(30), at(3), "e3")], [])
    assert [(r.rank, r.rep) for r in rows] == [(1, "a"), (1, "b"), (3, "c")]


def test_among_equals_the_rep_who_reached_the_score_first_is_listed_first():
    rows = rank([Score("zed", Decimal(10), at(1), "e9"), Score("amy", Decimal(10), at(4), "e1")], [])
    assert [r.rep for r in rows] == ["zed", "amy"]


def test_same_business_time_falls_back_to_event_id():
    rows = rank([Score("x", Decimal(10), at(1), "b"), Score("y", Decimal(10), at(1), "a")], [])
    assert [r.rep for r in rows] == ["y", "x"]


def test_reps_without_a_score_appear_at_zero_by_name_after_scorers():
    rows = rank([Score("mia", Decimal(5), at(1), "e")], ["zoe", "mia", "abe"])
    assert [(r.rank, r.rep, r.score) for r in rows] == [
        (1, "mia", Decimal(5)), (2, "abe", Decimal(0)), (2, "zoe", Decimal(0))]


def test_negative_scores_rank_below_zero():
    rows = rank([Score("neg", Decimal(-5), at(1), "e")], ["zero"])
    assert [r.rep for r in rows] == ["zero", "neg"]


@pytest.mark.parametrize("text, kind, name", [
    ("company", "company", None),
    ("region:West", "region", "West"),
    ("manager:Dustin Brinkmann", "manager", "Dustin Brinkmann"),
    ("manager:O'Neil: Sales", "manager", "O'Neil: Sales"),
])
def test_scope_grammar_keeps_spaces_and_colons_in_names(text, kind, name):
    scope = Scope.parse(text)
    assert (scope.kind, scope.name) == (kind, name)
    assert str(scope) == text


@pytest.mark.parametrize("text", ["", "team:x", "region:", "Company"])
def test_bad_scope_is_refused_with_the_grammar(text):
    with pytest.raises(ValueError, match="company"):
        Scope.parse(text)
