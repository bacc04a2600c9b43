"""Sorted-set members whose byte order is the board order, exact for any Decimal.

A Redis board is one sorted set with every member at score 0, so Redis orders members by
their bytes. A member is the fixed layout (-score, reached_at in UTC, reached_event_id,
rep) followed by the row itself: byte order is then the ranking order of domain.board
(higher score first, then who reached it first in business time, then event id, then name),
with no float anywhere (doubles are exact only to 2**53; amounts in cents into the
billions with a time packed beside them are not).
"""
from collections.abc import Iterable
from datetime import timezone
from decimal import Decimal

import orjson

from projections.row_codec import decode_row, encode_row
from projections.views import ScoreRow

__all__ = ["sortable", "member", "row_of", "by_board"]

_NINES = str.maketrans("0123456789", "9876543210")
_END = b"\x00"  # below every other byte: a shorter string sorts first, as in Python


def sortable(value: Decimal) -> str:
    """Text whose lexicographic order is the numeric order of `value`.

    Sign class, then the decimal exponent (offset, fixed width), then the digits without
    trailing zeros; negatives complement exponent and digits so a bigger magnitude sorts lower.
    """
    if value.is_zero():
        return "1"
    sign, digits, exponent = value.normalize().as_tuple()
    mantissa = "".join(map(str, digits))
    magnitude = len(digits) + int(exponent)
    if sign:
        return f"0{50000 - magnitude:05d}{mantissa.translate(_NINES)}~"
    return f"2{50000 + magnitude:05d}{mantissa}!"


def member(row: ScoreRow) -> bytes:
    at = row.reached_at.astimezone(timezone.utc) if row.reached_at.tzinfo else row.reached_at
    order = f"{sortable(-row.score)}{at.replace(tzinfo=None).isoformat(timespec='microseconds')}"
    return b"".join([order.encode(), row.reached_event_id.encode(), _END, row.rep.encode(), _END,
                     orjson.dumps(encode_row(row))])


def row_of(value: bytes) -> ScoreRow:
    """The row at the end of a member (JSON never holds a raw NUL byte)."""
    return decode_row(ScoreRow, orjson.loads(value.rsplit(_END, 1)[1]))



def by_board(rows: Iterable[ScoreRow]) -> dict[tuple[str, str], list[ScoreRow]]:
    """Score rows grouped by (metric, window), each board in board order."""
    boards: dict[tuple[str, str], list[ScoreRow]] = {}
    for row in sorted(rows, key=member):
        boards.setdefault((row.metric, row.window), []).append(row)
    return boards
