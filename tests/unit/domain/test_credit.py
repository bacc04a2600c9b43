from decimal import Decimal

from domain.credit import split_credit


def test_without_splits_the_rep_gets_the_whole_deal():
    assert split_credit(Decimal("999.99"), "amy", []) == [("amy", Decimal("999.99"))]


def test_even_split_of_whole_cents():
    assert split_credit(Decimal("1000"), "a", [["a", Decimal("0.5")], ["b", Decimal("0.5")]]) == [
        ("a", Decimal("500.00")), ("b", Decimal("500.00"))]


def test_leftover_cent_goes_to_the_rep_listed_first_on_a_tie():
    parts = split_credit(Decimal("1000.01"), "a", [["a", Decimal("0.5")], ["b", Decimal("0.5")]])
    assert parts == [("a", Decimal("500.01")), ("b", Decimal("500.00"))]


def test_thirds_sum_to_the_deal_exactly_by_largest_remainder():
    third = Decimal(1) / Decimal(3)
    shares = [["a", third], ["b", third], ["c", Decimal(1) - 2 * third]]
    parts = split_credit(Decimal("100.00"), "a", shares)
    assert sum(p for _, p in parts) == Decimal("100.00")
    assert sorted(p for _, p in parts) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
