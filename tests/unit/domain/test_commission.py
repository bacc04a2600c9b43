from datetime import datetime, timezone
from decimal import Decimal

from domain.commission import Credit, Plan, Tier, compute_statement

DEMO = Plan("demo", 1, Decimal(150000), (Tier(Decimal(0), Decimal("0.08")),
                                        Tier(Decimal(1), Decimal("0.12")),
                                        Tier(Decimal("1.5"), Decimal("0.15"))))


def credit(deal: str, amount: str, day: int) -> Credit:
    return Credit(deal, Decimal(amount), datetime(2017, 4, day, tzinfo=timezone.utc), f"e-{deal}")


def test_demo_plan_pays_18000_on_200000_of_revenue():
    # 150,000 x 8 % = 12,000; 50,000 x 12 % = 6,000
    s = compute_statement("r", "2017-Q2", DEMO, [credit("A", "100000", 1), credit("B", "100000", 2)])
    assert s.total == Decimal("18000.00")


def test_a_deal_crossing_a_tier_boundary_gets_one_line_per_tier():
    s = compute_statement("r", "2017-Q2", DEMO, [credit("A", "100000", 1), credit("B", "140000", 2)])
    b_lines = [(l.tier, l.base, l.rate) for l in s.lines if l.deal_id == "B"]
    assert b_lines == [(1, Decimal(50000), Decimal("0.08")), (2, Decimal(75000), Decimal("0.12")),
                       (3, Decimal(15000), Decimal("0.15"))]
    assert s.total == Decimal("8000") + Decimal("4000") + Decimal("9000") + Decimal("2250")


def test_deals_stack_in_business_order_not_list_order():
    late, early = credit("L", "150000", 20), credit("E", "10", 1)
    s = compute_statement("r", "2017-Q2", DEMO, [late, early])
    assert [l.deal_id for l in s.lines] == ["E", "L", "L"]
    assert s.lines[-1].base == Decimal(10) and s.lines[-1].tier == 2


def test_total_is_rounded_half_up_once_and_the_rounding_is_shown():
    # 0.0625 x 8 % = 0.005 exactly -> rounds half-up to 0.01
    s = compute_statement("r", "2017-Q2", DEMO, [credit("A", "0.0625", 1)])
    assert s.exact == Decimal("0.005")
    assert s.total == Decimal("0.01")
    assert s.rounding == Decimal("0.005")
