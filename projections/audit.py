"""Audit: every row of every view, keyed, and the differences between two stores.

`replay` rebuilds every projection from the ledger into a fresh store and diffs it with the
live one; zero differences is the expected result. Both sides are snapshots: rows and
position as one commit left them, so a projector writing meanwhile is no difference.
Every row is compared: scores, boards, statements, milestones, reps, credits, activities
and documents. Ledger positions are left out (statement lines, credits, closes), since they
follow arrival order and figures must not. Boards are also compared in the order each
store lists them (Redis: its sorted set's own order), so a store that orders a board
differently differs even when every score agrees. Rows are keyed, so the diff is linear.
"""
from typing import Any

import orjson

from projections.row_codec import row_fields
from projections.views import Snapshot

__all__ = ["Dump", "dump", "differences", "unplaced"]

Dump = dict[str, dict[Any, Any]]  # view -> row key (a tuple for composite keys) -> the row, JSON-ready
_MISSING = object()
_FIELDS_SHOWN = 3  # differing fields named per row; the rest are counted
_ROW = {"scores": "score", "boards": "board", "statements": "statement", "milestones": "milestone",
        "reps": "rep", "credits": "credit", "activities": "activity", "documents": "document"}


def unplaced(statement: dict[str, Any]) -> dict[str, Any]:
    """A statement without its lines' ledger positions, which follow arrival order."""
    return {**statement, "lines": [_without_position(line) for line in statement["lines"]]}


def dump(snapshot: Snapshot) -> Dump:
    working = snapshot.working
    return {
        "scores": {(r.metric, r.window, r.rep): row_fields(r) for rows in snapshot.boards.values() for r in rows},
        "boards": {board: [r.rep for r in rows] for board, rows in snapshot.boards.items()},
        "statements": {key: unplaced(body) for key, body in snapshot.statements.items()},
        "milestones": {m.key: row_fields(m) for m in working.milestones},
        "reps": {r.rep: row_fields(r) for r in working.reps},
        "credits": {(c.deal_id, c.rep): _without_position(row_fields(c)) for c in working.credits},
        "activities": {a.activity_id: row_fields(a) for a in working.activities},
        "documents": {key: _without_position(doc) for key, doc in working.documents.items()},
    }


def differences(live: Snapshot, rebuilt: Snapshot) -> list[str]:
    """One readable line per row that differs (`statement REP QUARTER: live total X, rebuilt
    Y`); empty when the two agree."""
    a, b = dump(live), dump(rebuilt)
    out: list[str] = []
    for view in a:
        left, right = a[view], b[view]
        for key in sorted(left.keys() | right.keys(), key=_key_text):
            old, new = left.get(key, _MISSING), right.get(key, _MISSING)
            if old != new:
                out.append(f"{_ROW[view]} {_key_text(key)}: {_describe(old, new)}")
    return out


def _without_position(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "position"}


def _key_text(key: Any) -> str:
    return " ".join(key) if isinstance(key, tuple) else str(key)


def _describe(live: Any, rebuilt: Any) -> str:
    if live is _MISSING or rebuilt is _MISSING:
        return f"only live {_text(live)}" if rebuilt is _MISSING else f"only rebuilt {_text(rebuilt)}"
    changed = _changed("", live, rebuilt)
    shown = "; ".join(f"live {path}{' ' if path else ''}{_text(x)}, rebuilt {_text(y)}"
                      for path, x, y in changed[:_FIELDS_SHOWN])
    more = len(changed) - _FIELDS_SHOWN
    return shown + (f"; and {more} more field(s)" if more > 0 else "")


def _changed(path: str, x: Any, y: Any) -> list[tuple[str, Any, Any]]:
    """(field path like `lines[3].amount`, live, rebuilt) for every leaf that differs."""
    if x == y:
        return []
    if isinstance(x, dict) and isinstance(y, dict):
        return [c for k in sorted(x.keys() | y.keys(), key=lambda k: (_nested(x.get(k)), str(k)))  # figures first
                for c in _changed(f"{path}.{k}" if path else str(k), x.get(k, _MISSING), y.get(k, _MISSING))]
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y) and any(_nested(v) for v in x):
        return [c for i, (u, v) in enumerate(zip(x, y)) for c in _changed(f"{path}[{i}]", u, v)]
    return [(path, x, y)]


def _nested(value: Any) -> bool:
    return isinstance(value, dict | list)


def _text(value: Any) -> str:
    """JSON-ish and short: bare strings and numbers, lists in brackets, rows as JSON."""
    if value is _MISSING:
        return "(none)"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value if value and value.strip() == value and ", " not in value else orjson.dumps(value).decode()
    if isinstance(value, list) and not any(_nested(v) for v in value):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    text = orjson.dumps(value, default=str).decode()
    return text if len(text) <= 200 else text[:197] + "..."
