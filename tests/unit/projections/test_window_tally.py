"""Window tallies: whatever the path of additions and removals, the figures are the ones a
recomputation from the entries held gives, Decimal exponent included."""
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from projections.window_tally import Entry, WindowTally

T0 = datetime(2017, 5, 1, tzinfo=timezone.utc)


def entry(key: str, day: int, amount: str, event_id: str | None = None) -> Entry:
    return Entry(T0 + timedelta(days=day), event_id or f"e-{key}", key, Decimal(amount))


def test_a_sum_keeps_the_finest_exponent_only_while_an_entry_holding_it_is_there():
    tally = WindowTally()
    tally.add(entry("A", 1, "3"))
    tally.add(entry("B", 2, "1.5"))
    assert str(tally.total()) == "4.5"
    tally.remove("B")
    assert str(tally.total()) == "3"  # as a recomputation says: not "3.0"


def test_first_and_last_follow_business_order_time_then_event_id_then_key():
    tally = WindowTally()
    for e in (entry("B", 2, "1", "e2"), entry("A", 2, "1", "e2"), entry("C", 2, "1", "e1"), entry("D", 5, "1")):
        tally.add(e)
    assert (tally.first().key, tally.last().key) == ("C", "D")
    tally.remove("D")
    tally.remove("C")
    assert (tally.first().key, tally.last().key) == ("A", "B")


def test_an_entry_added_again_under_its_key_replaces_the_old_one():
    tally = WindowTally()
    tally.add(entry("A", 1, "100.00"))
    tally.add(entry("A", 3, "40.00"))
    assert (len(tally), tally.total(), tally.first().at) == (1, Decimal("40.00"), T0 + timedelta(days=3))


def test_an_emptied_window_has_no_first_or_last_and_a_zero_total():
    tally = WindowTally()
    tally.add(entry("A", 1, "10.00"))
    tally.remove("A")
    tally.remove("never there")
    assert (len(tally), tally.total(), tally.first(), tally.last()) == (0, Decimal(0), None, None)


def test_random_paths_agree_with_a_recomputation_from_what_is_held():
    rng = random.Random(7)
    for _ in range(200):
        tally, held = WindowTally(), {}
        for _ in range(rng.randrange(1, 40)):
            key = f"D{rng.randrange(12)}"
            if rng.random() < 0.3:
                tally.remove(key)
                held.pop(key, None)
            else:
                e = entry(key, rng.randrange(5), rng.choice(["10.00", "0.01", "7", "2.5", "0.00"]),
                          f"e{rng.randrange(4)}")
                tally.add(e)
                held[key] = e
            if rng.random() < 0.5:  # reads in between must not change what later reads see
                tally.total()
        ordered = sorted(held.values(), key=lambda e: (e.at, e.event_id, e.key))
        expected_total = sum((e.amount for e in held.values()), Decimal(0))
        assert len(tally) == len(held)
        assert str(tally.total()) == str(expected_total)
        assert tally.first() == (ordered[0] if ordered else None)
        assert tally.last() == (ordered[-1] if ordered else None)
