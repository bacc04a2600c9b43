"""What a channel shows (its view, as JSON-ready data) and the delta between two views.

Board and milestones views are lists of rows keyed by `rep` and `key`. Their delta is::

    {"rows": [...], "removed": [...], "order": [...]}   # each field only when non-empty

and a client reproduces the new view exactly by (1) dropping the rows whose key is in
`removed`, (2) replacing each row of `rows` in place by key, or appending it when new,
(3) when `order` is present, reordering the rows to that list of keys. `order` is sent only
when steps 1-2 do not already give the new order, so a score change that moves nobody costs
one row, while a rank change costs the full key list (ties are ordered by who reached the
score first, which the client cannot know). A rep view is a summary dict (or null) and its
delta is the whole new summary.

A channel exists when the views hold what it names: a rep, a region or manager with reps, a
window with scores (`all` and the company always exist). Others are refused, so that made-up
names cannot take channel slots.
"""
from typing import Any

from domain.board import RankedRow, Scope
from projections.read import ScoreReader

from gateway.channels import BoardChannel, Channel, MilestonesChannel, RepChannel
from gateway.wire import decimal_text

__all__ = ["absent", "diff_view", "read_view"]

_KEYS = {BoardChannel: "rep", MilestonesChannel: "key"}


def read_view(channel: Channel, reader: ScoreReader) -> Any:
    """The channel's current view, read through the reader."""
    match channel:
        case BoardChannel(metric, window, scope):
            return [_row(row) for row in reader.board(metric, window, scope)]
        case MilestonesChannel(scope):
            return reader.milestones(scope)
        case RepChannel(rep):
            return reader.rep_summary(rep)


def absent(channel: Channel, reader: ScoreReader) -> str | None:
    """Why the views hold nothing by this channel's name, or None when they hold something."""
    match channel:
        case RepChannel(rep):
            return None if reader.rep_summary(rep) is not None else f"no rep {rep!r} in the views"
        case BoardChannel(metric, window, scope):
            if window != "all" and window not in reader.windows(metric):
                return f"no {metric} scores in window {window!r} yet"
            return _absent_scope(scope, reader)
        case MilestonesChannel(scope):
            return _absent_scope(scope, reader)


def _absent_scope(scope: Scope, reader: ScoreReader) -> str | None:
    if scope.kind == "company" or reader.reps(scope):
        return None
    return f"no reps in {scope.kind} {scope.name!r} (names are case-sensitive)"


def diff_view(channel: Channel, old: Any, new: Any) -> Any | None:
    """The delta taking `old` to `new`, or None when they are equal."""
    if isinstance(channel, RepChannel):
        return None if old == new else new
    return _diff_rows(old, new, _KEYS[type(channel)])


def _row(row: RankedRow) -> dict[str, Any]:
    return {"rank": row.rank, "rep": row.rep, "score": decimal_text(row.score)}


def _diff_rows(old: list[dict[str, Any]], new: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    before = {row[key]: row for row in old}
    after = {row[key] for row in new}
    delta: dict[str, Any] = {}
    rows = [row for row in new if before.get(row[key]) != row]
    removed = [k for k in before if k not in after]
    order = [row[key] for row in new]
    applied = [k for k in before if k in after] + [row[key] for row in rows if row[key] not in before]
    if rows:
        delta["rows"] = rows
    if removed:
        delta["removed"] = removed
    if applied != order:
        delta["order"] = order
    return delta or None
