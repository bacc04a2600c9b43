"""The calculator against hand-computed figures (each expected value written out)."""
from datetime import date, datetime, timezone
from decimal import Decimal

from domain.commission import Adjustment, Credit, Gate, compute_statement
from domain.plan import Plan, Tier

D = Decimal


def plan(tiers, **options) -> Plan:
    return Plan("p", 1, "p", date(2017, 1, 1), tuple(Tier(D(f), D(r)) for f, r in tiers), **options)


DEMO = plan([("0", "0.08"), ("1", "0.12"), ("1.5", "0.15")], quota=D(150000))
SMALL = [("0", "0.25"), ("500", "0.30"), ("3000", "0.40")]


def credit(deal: str, amount: str, day: int = 1) -> Credit:
    return Credit(deal, D(amount), datetime(2017, 4, day, tzinfo=timezone.utc), f"e-{deal}")


def pay(p: Plan, quota: str, *amounts: str, **kw) -> Decimal:
    return compute_statement("r", "2017-Q2", p, D(quota),
                             [credit(f"d{i}", a, i + 1) for i, a in enumerate(amounts)], **kw).total


def test_marginal_tiers_on_revenue_pay_each_slice_at_its_rate():
    assert pay(plan(SMALL, basis="revenue"), "0", "520") == D("131.00")  # 500 x 25 % + 20 x 30 %


def test_retroactive_tiers_pay_the_whole_amount_at_the_rate_reached():
    assert pay(plan(SMALL, basis="revenue", method="retroactive"), "0", "520") == D("156.00")


def test_three_revenue_tiers():
    tiers = [("0", "0.03"), ("300000", "0.05"), ("500000", "0.07")]
    assert pay(plan(tiers, basis="revenue"), "0", "600000") == D("26000.00")  # 9,000 + 10,000 + 7,000


ACCEL = plan([("0", "0.05"), ("1", "0.06"), ("1.25", "0.07")], quota=D(100000))
GATED = plan([("0", "0.05"), ("1", "0.06"), ("1.25", "0.07")], quota=D(100000), gate=True)


def test_accelerators_past_quota():
    assert pay(ACCEL, "100000", "150000") == D("8250.00")  # 5,000 + 1,500 + 1,750


def test_a_gate_not_met_year_to_date_pays_the_base_rate_past_quota():
    short = Gate(ytd_revenue=D(275000), ytd_quota=D(300000))
    assert pay(GATED, "100000", "150000", gate=short) == D("7500.00")
    met = Gate(ytd_revenue=D(300000), ytd_quota=D(300000))
    assert pay(GATED, "100000", "150000", gate=met) == D("8250.00")


def test_a_cap_is_its_own_negative_line():
    s = compute_statement("r", "q", plan([("0", "0.1")], cap=D(10000)), D(0), [credit("a", "120000")])
    assert s.total == D("10000.00")
    assert [(l.kind, l.amount) for l in s.lines if l.kind == "cap"] == [("cap", D("-2000.0"))]


def test_a_minimum_is_its_own_positive_line():
    s = compute_statement("r", "q", plan([("0", "0.1")], minimum=D(1000)), D(0), [credit("a", "6000")])
    assert s.total == D("1000.00")
    assert [(l.kind, l.amount) for l in s.lines if l.kind == "minimum"] == [("minimum", D("400.0"))]


def test_demo_plan_pays_18000_on_200000_of_revenue():
    assert pay(DEMO, "150000", "100000", "100000") == D("18000.00")  # 12,000 + 6,000


def test_a_deal_crossing_tier_boundaries_gets_one_line_per_tier():
    s = compute_statement("r", "q", DEMO, D(150000), [credit("A", "100000", 1), credit("B", "140000", 2)])
    assert [(l.tier, l.base, l.rate) for l in s.lines if l.deal_id == "B"] == [
        (1, D(50000), D("0.08")), (2, D(75000), D("0.12")), (3, D(15000), D("0.15"))]
    assert s.total == D("8000") + D("4000") + D("9000") + D("2250")


def test_deals_stack_in_business_order_not_list_order():
    s = compute_statement("r", "q", DEMO, D(150000), [credit("L", "150000", 20), credit("E", "10", 1)])
    assert [l.deal_id for l in s.lines] == ["E", "L", "L"]
    assert (s.lines[-1].base, s.lines[-1].tier) == (D(10), 2)


def test_total_is_rounded_half_up_once_and_the_rounding_is_shown():
    s = compute_statement("r", "q", DEMO, D(150000), [credit("A", "0.0625")])  # 0.0625 x 8 % = 0.005
    assert (s.exact, s.total, s.rounding) == (D("0.005"), D("0.01"), D("0.005"))


def test_adjustments_for_closed_periods_are_lines_outside_the_tiers():
    s = compute_statement("r", "q", DEMO, D(150000), [credit("C", "1000")],
                          adjustments=(Adjustment("2017-Q1", D("-10000.00")),))
    assert s.total == D("80.00") - D("10000.00")
    assert s.lines[-1].kind == "adjustment" and "2017-Q1" in s.lines[-1].note


def test_no_quota_on_an_attainment_plan_pays_the_first_tier():
    assert pay(DEMO, "0", "1000") == D("80.00")


DECEL = plan([("0", "0.10"), ("1", "0.05")], quota=D(100000))
DECEL_GATED = plan([("0", "0.10"), ("1", "0.05")], quota=D(100000), gate=True)
SHORT = Gate(ytd_revenue=D(150000), ytd_quota=D(300000))


def test_decelerators_past_quota():
    assert pay(DECEL, "100000", "150000") == D("12500.00")  # 100,000 x 10 % + 50,000 x 5 %


def test_a_gate_not_met_never_raises_a_decelerator():
    assert pay(DECEL_GATED, "100000", "150000", gate=SHORT) == D("12500.00")  # same as ungated
    met = Gate(ytd_revenue=D(300000), ytd_quota=D(300000))
    assert pay(DECEL_GATED, "100000", "150000", gate=met) == D("12500.00")


def test_a_gate_not_met_holds_an_accelerator_but_keeps_a_later_decelerator():
    # 5 % to quota, 8 % from 100 %, 3 % from 150 %; revenue 200,000, gate not met:
    # 100,000 x 5 % + 50,000 x 5 % (8 % held at base) + 50,000 x 3 % = 5,000 + 2,500 + 1,500
    mixed = plan([("0", "0.05"), ("1", "0.08"), ("1.5", "0.03")], quota=D(100000), gate=True)
    assert pay(mixed, "100000", "200000", gate=SHORT) == D("9000.00")

