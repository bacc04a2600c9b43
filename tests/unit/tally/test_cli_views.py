"""The reading commands' arguments and exit codes: refused by name, never a traceback."""
import json

import pytest

from tests.helpers import deal, demo_plan
from tests.unit.tally.states import state, tally


@pytest.mark.parametrize("quarter", ["0000-Q1", "9999-Q4"])
def test_a_statement_quarter_the_calendar_cannot_hold_is_a_usage_error_naming_it(tmp_path, quarter):
    state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100"))
    result = tally(tmp_path, "statement", "amy", quarter)
    assert (result.exit_code, f"'{quarter}' is outside the calendar" in result.output) == (2, True)


def test_a_statement_quarter_past_2100_that_an_adjustment_can_reach_is_answered(tmp_path):
    state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100"))
    result = tally(tmp_path, "statement", "amy", "2101-Q1", "--json")
    assert (result.exit_code, json.loads(result.output)["total"]) == (0, "0.00")


def test_reps_sent_with_a_combining_accent_or_precomposed_are_one_rep_found_either_way(tmp_path):
    state(tmp_path, deal("won", "A", "2017-04-01", rep="Jos\u00e9", amount="100"),
          deal("won", "B", "2017-04-02", rep="Jose\u0301", amount="50"))
    board = json.loads(tally(tmp_path, "board", "revenue", "--json").output)
    typed = json.loads(tally(tmp_path, "statement", "Jose\u0301", "2017-Q2", "--json").output)
    assert (board, typed["rep"], typed["revenue"]) == (
        [{"rank": 1, "rep": "Jos\u00e9", "score": "150.00"}], "Jos\u00e9", "150.00")


def test_a_board_of_a_state_that_does_not_exist_is_a_usage_error_exit_2_like_replay(tmp_path):
    done = tally(tmp_path / "nowhere", "board", "revenue")
    assert (done.exit_code, "no Tally state at" in done.output) == (2, True)
