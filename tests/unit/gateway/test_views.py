import random
from typing import Any

from gateway_fakes import Client

from gateway.channels import parse_channel
from gateway.views import diff_view

BOARD = parse_channel("board:revenue:all:company")


def rows(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    """Rows in the given order, ranked the competition way (equal scores share a rank)."""
    out: list[dict[str, Any]] = []
    for position, (rep, score) in enumerate(pairs, start=1):
        shared = out and out[-1]["score"] == str(score)
        out.append({"rank": out[-1]["rank"] if shared else position, "rep": rep, "score": str(score)})
    return out


def replay(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    client = Client()
    client.view = old
    delta = diff_view(BOARD, old, new)
    return old if delta is None else client.apply(delta)


def test_equal_views_have_no_delta() -> None:
    board = rows(("Ann", 5), ("Bob", 3))
    assert diff_view(BOARD, board, [dict(r) for r in board]) is None


def test_a_score_change_that_moves_nobody_sends_one_row_and_no_order() -> None:
    new = rows(("Ann", 9), ("Bob", 3), ("Cy", 1))
    assert diff_view(BOARD, rows(("Ann", 5), ("Bob", 3), ("Cy", 1)), new) == {"rows": [new[0]]}


def test_a_reorder_among_ties_sends_the_order() -> None:
    old, new = rows(("Ann", 5), ("Bob", 5)), rows(("Bob", 5), ("Ann", 5))
    assert diff_view(BOARD, old, new) == {"order": ["Bob", "Ann"]}


def test_random_boards_are_reproduced_exactly() -> None:
    chance = random.Random(20170402)
    reps = [f"rep {n}" for n in range(12)]
    old: list[dict[str, Any]] = []
    for _ in range(300):
        members = chance.sample(reps, chance.randint(0, len(reps)))
        scored = sorted(((rep, chance.choice((0, 1, 2, 5, 5, 8))) for rep in members),
                        key=lambda pair: -pair[1])
        new = rows(*scored)
        assert replay(old, new) == new
        old = new
