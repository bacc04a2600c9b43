"""`tally board --json` against boards recomputed from the CSV: rank, rep, score and order."""
import os
import subprocess

import orjson
import pytest

from tests.e2e.conftest import TALLY, run_tally
from tests.e2e.expected import board

WINDOWS = ["2017-05", "2017-Q2", "2017", "all"]
SCOPES = ["company", "region:Central", "manager:Dustin Brinkmann"]


@pytest.mark.parametrize("metric", ["deals", "revenue"])
@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("scope", SCOPES)
def test_a_board_ranks_and_orders_reps_as_the_csv_says(clean_run, metric, window, scope):
    state, _ = clean_run
    rows = orjson.loads(run_tally("board", metric, "--window", window, "--scope", scope, "--json", state=state))
    assert [(r["rank"], r["rep"], r["score"]) for r in rows] == board(metric, window, scope)


def test_the_expected_boards_hold_ties_so_the_order_among_equals_is_checked():
    def scored_ties(rows: list) -> int:
        scores = [score for _, _, score in rows if score not in ("0", "0.00")]
        return len(scores) - len(set(scores))

    assert sum(scored_ties(board("deals", w, s)) for w in WINDOWS for s in SCOPES) >= 20


def board_exit(state, scope: str, window: str = "all") -> subprocess.CompletedProcess:
    return subprocess.run([*TALLY, "board", "revenue", "--window", window, "--scope", scope, "--state", str(state)],
                          capture_output=True, env={**os.environ}, timeout=60, check=False)


def test_an_unknown_region_is_a_usage_error(clean_run):
    done = board_exit(clean_run[0], "region:Nowhere")
    assert done.returncode == 2
    assert b"no rep has region 'Nowhere'" in done.stderr


def test_a_known_region_in_a_window_without_data_is_an_empty_board(clean_run):
    done = board_exit(clean_run[0], "region:West", window="2031")
    assert done.returncode == 0
    assert b"0.00" in done.stdout and b"West" in done.stdout
