from decimal import Decimal

from domain.credit import credit_parts, split_credit


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


def won_outcome(amount: str, splits: list, credit_notes: dict | None = None) -> dict:
    return {"amount": Decimal(amount), "rep_id": "owner", "splits": splits, "overlays": [],
            "credit_notes": credit_notes or {}}


def test_a_split_part_of_zero_credits_nothing():
    net, parts = credit_parts(won_outcome("0.01", [["a", Decimal("0.5")], ["b", Decimal("0.5")]]))
    assert (net, parts) == (Decimal("0.01"), [("a", Decimal("0.01"), "credit")])


def test_a_deal_won_at_zero_is_one_deal_for_its_own_rep_at_zero():
    net, parts = credit_parts(won_outcome("0.00", [["a", Decimal("0.5")], ["b", Decimal("0.5")]]))
    assert (str(net), parts) == ("0.00", [("owner", Decimal("0.00"), "credit")])


def test_a_deal_whose_credit_notes_took_back_everything_credits_no_one():
    assert credit_parts(won_outcome("100.00", [], {"CN1": Decimal("100.00")})) == (Decimal(0), [])


def test_an_overlay_for_the_rep_who_holds_the_deal_is_dropped():
    outcome = {**won_outcome("1000", []), "rep_id": "B", "overlays": [["B", Decimal("0.1")], ["C", Decimal("0.1")]]}
    assert credit_parts(outcome) == (Decimal("1000"), [("B", Decimal("1000"), "credit"),
                                                       ("C", Decimal("100.00"), "overlay")])


def test_an_overlay_for_a_rep_of_the_splits_is_dropped_even_when_the_split_part_is_zero():
    # 0.01 split 99.9/0.1: a gets 0.01, b 0.00 (no credit); b's overlay is dropped all the same
    outcome = {**won_outcome("0.01", [["a", Decimal("0.999")], ["b", Decimal("0.001")]]),
               "overlays": [["b", Decimal("1")]]}
    assert credit_parts(outcome) == (Decimal("0.01"), [("a", Decimal("0.01"), "credit")])
