"""Reading commands' exit codes, as scripts see them."""
from tests.unit.tally.states import tally


def test_a_board_of_a_state_that_does_not_exist_is_a_usage_error_exit_2_like_replay(tmp_path):
    done = tally(tmp_path / "nowhere", "board", "revenue")
    assert (done.exit_code, "no Tally state at" in done.output) == (2, True)
