"""Audit: everything a reader can see, in canonical order, and the diff of two stores.

`replay` rebuilds every projection from the ledger into a fresh store and diffs it with the
live one; zero differences is the expected result. Ledger positions are left out of the
comparison of statement lines, since they depend on arrival order and figures must not.
Boards are compared as each store lists them (Redis: its sorted set's own order), so a
store that orders a board differently differs even when every score agrees.
"""
from dataclasses import replace
from typing import Any

from domain.board import METRICS
from projections.views import ViewStore

__all__ = ["dump", "differences", "unplaced"]


def unplaced(statement: dict[str, Any] | None) -> dict[str, Any] | None:
    """A statement without its lines' ledger positions, which follow arrival order."""
    if statement is None:
        return None
    return {**statement, "lines": [{k: v for k, v in line.items() if k != "position"}
                                   for line in statement["lines"]]}


def dump(store: ViewStore) -> dict[str, Any]:
    boards = {(metric, window): store.score_rows(metric, window)
              for metric in METRICS for window in store.score_windows(metric)}
    scores = sorted((s.metric, s.window, s.rep, str(s.score), s.reached_at.isoformat(), s.reached_event_id)
                    for rows in boards.values() for s in rows)
    quarters = sorted({w for w in store.score_windows("revenue") if "-Q" in w}
                      | {k.partition(":")[2] for k in store.working_set().documents if k.startswith("closed:")})
    reps = sorted({s[2] for s in scores} | {r.rep for r in store.rep_rows()})
    statements = {(r, q): unplaced(store.statement(r, q)) for r in reps for q in quarters}
    return {
        "scores": scores,
        "boards": {board: [s.rep for s in rows] for board, rows in boards.items()},
        "reps": sorted(store.rep_rows(), key=lambda r: r.rep),
        "statements": {k: v for k, v in statements.items() if v is not None},
        "milestones": sorted(store.milestone_rows(), key=lambda m: m.key),
        "credits": sorted((replace(c, position=0) for c in store.working_set().credits),
                          key=lambda c: (c.deal_id, c.rep)),
    }


def differences(live: ViewStore, rebuilt: ViewStore) -> list[str]:
    """One line per view entry that differs; empty when the two agree."""
    a, b = dump(live), dump(rebuilt)
    out: list[str] = []
    for view in a:
        left, right = a[view], b[view]
        if isinstance(left, dict):
            keys = sorted(set(left) | set(right), key=str)
            out += [f"{view} {k}: live {left.get(k)!r} != rebuilt {right.get(k)!r}"
                    for k in keys if left.get(k) != right.get(k)]
        else:
            out += [f"{view}: live has {x!r}" for x in left if x not in right]
            out += [f"{view}: rebuilt has {x!r}" for x in right if x not in left]
    return out
