"""Board members sort, byte for byte, exactly as domain.board ranks (no floats anywhere)."""
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from projections.board_order import member, row_of, sortable
from projections.views import ScoreRow

AT = datetime(2017, 5, 2, tzinfo=timezone.utc)


def test_sortable_text_orders_like_the_numbers():
    rng = random.Random(7)
    values = [Decimal(v) for v in ("0", "1", "-1", "0.5", "1E+3", "1000.00", "99.99", "-0.0011", "600.005")]
    values += [Decimal(rng.randint(-10**15, 10**15)).scaleb(-rng.randint(0, 6)) for _ in range(3000)]
    assert [sortable(v) for v in sorted(values)] == sorted(sortable(v) for v in values)


def test_members_order_by_score_then_time_then_event_then_rep_for_cents_in_the_billions():
    big = Decimal("12345678901.23")
    rows = [ScoreRow("revenue", "all", rep, score, at, event) for rep, score, at, event in [
        ("amy", big, AT, "e2"), ("bo", big + Decimal("0.01"), AT + timedelta(days=1), "e9"),
        ("cy", big, AT, "e10"), ("di", big, AT - timedelta(microseconds=1), "e5"),
        ("ed", big, AT, "e2"), ("fay", big - Decimal("0.01"), AT - timedelta(days=9), "e1")]]
    ranked = sorted(rows, key=lambda r: (-r.score, r.reached_at, r.reached_event_id, r.rep))
    assert sorted(rows, key=member) == ranked
    assert [r.rep for r in ranked] == ["bo", "di", "cy", "amy", "ed", "fay"]


def test_a_member_carries_its_row_exactly():
    row = ScoreRow("revenue", "2017-Q2", "Rep: with colon", Decimal("1000.010"),
                   datetime(2017, 5, 2, 9, tzinfo=timezone(timedelta(hours=2))), "crm:1")
    assert row_of(member(row)) == row
    assert row_of(member(row)).reached_at.isoformat() == row.reached_at.isoformat()
