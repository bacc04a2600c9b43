from decimal import Decimal

from domain.money import money_text


def test_money_is_written_with_two_decimals_and_more_only_where_exact_needs_them():
    written = [money_text(Decimal(v)) for v in ("3344.0", "267.520", "368.0000", "10.0", "0.0084", "-2000.0", "-0", "1E+3")]
    assert written == ["3344.00", "267.52", "368.00", "10.00", "0.0084", "-2000.00", "0.00", "1000.00"]
