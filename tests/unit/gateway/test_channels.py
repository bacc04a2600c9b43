import pytest

from domain.board import Scope
from gateway.channels import (MAX_NAME, BoardChannel, MilestonesChannel, RepChannel, parse_channel,
                              topics_of_change)


def test_board_channel_keeps_a_scope_name_with_spaces_and_colons() -> None:
    channel = parse_channel("board:revenue:2017-Q2:region:EMEA: North")
    assert channel == BoardChannel("revenue", "2017-Q2", Scope("region", "EMEA: North"))


@pytest.mark.parametrize("name", [
    "board:deals:all:company", "board:activity:2017-05:manager:Dana: Ops", "board:revenue:2017:company",
    "rep:Moses Frase", "rep:odd:name: here", "milestones:company", "milestones:region:West Coast",
])
def test_a_parsed_name_prints_back_unchanged(name: str) -> None:
    assert str(parse_channel(name)) == name


def test_rep_channel_takes_the_rest_of_the_name() -> None:
    assert parse_channel("rep:Ann: the closer") == RepChannel("Ann: the closer")


def test_milestones_channel_has_a_scope() -> None:
    assert parse_channel("milestones:manager:Li Wei") == MilestonesChannel(Scope("manager", "Li Wei"))


@pytest.mark.parametrize("name, complaint", [
    ("leaders:revenue", "does not start with"),
    ("board:revenue:2017-Q2", "board:METRIC:WINDOW:SCOPE"),
    ("board:margin:2017-Q2:company", "metric 'margin'"),
    ("board:revenue:2017-Q5:company", "window '2017-Q5'"),
    ("board:revenue:2017-Q2:team:Red", "scope 'team:Red'"),
    ("board:revenue:2017-Q2:region:", "scope 'region:'"),
    ("rep:", "rep name is empty"),
    ("milestones:everyone", "scope 'everyone'"),
])
def test_a_bad_name_is_refused_saying_which_part_is_wrong(name: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint) as refused:
        parse_channel(name)
    assert repr(name) in str(refused.value)


@pytest.mark.parametrize("name", [
    "board:revenue:2017\n:company", "board:revenue:2017:company\n", "rep:Ann\tLee", "rep:Ann\x00",
    "milestones:region:West\x7f", "rep:\x1b[31mAnn",
])
def test_a_name_with_a_control_character_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="control character") as refused:
        parse_channel(name)
    assert repr(name) in str(refused.value)


def test_a_name_longer_than_the_bound_is_refused_saying_how_long() -> None:
    longest = "rep:" + "x" * (MAX_NAME - len("rep:"))
    assert str(parse_channel(longest)) == longest
    with pytest.raises(ValueError, match=f"{MAX_NAME + 1} characters long, over {MAX_NAME}"):
        parse_channel(longest + "x")


def test_a_board_change_touches_that_board_in_every_scope_only() -> None:
    topics = topics_of_change("board", {"metric": "revenue", "window": "2017-Q2"})
    assert parse_channel("board:revenue:2017-Q2:company").topic in topics
    assert parse_channel("board:revenue:2017-Q2:manager:Li").topic in topics
    assert parse_channel("board:revenue:2017-Q3:company").topic not in topics
    assert parse_channel("board:deals:2017-Q2:company").topic not in topics


def test_a_milestone_touches_the_company_and_the_reps_own_region_and_manager() -> None:
    topics = topics_of_change("milestone", {"rep": "Ann", "region": "West", "manager": "Li"})
    touched = {name for name in ("milestones:company", "milestones:region:West",
                                 "milestones:manager:Li", "milestones:region:East")
               if parse_channel(name).topic in topics}
    assert touched == {"milestones:company", "milestones:region:West", "milestones:manager:Li"}


def test_a_rep_change_touches_only_that_rep() -> None:
    topics = topics_of_change("rep", {"rep": "Moses Frase"})
    assert topics == [parse_channel("rep:Moses Frase").topic]
    assert parse_channel("rep:Moses").topic not in topics
