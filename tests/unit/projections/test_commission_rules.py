"""Issue acceptance for the commission engine, through the ledger and the projection.

Every expected figure is worked out by hand in the comment beside it.
"""
import decimal
import random
from decimal import Decimal

from projections.memory_store import MemoryViewStore
from projections.projector import Projector
from tests.helpers import RULES, Pipeline, close, deal, demo_plan, plan, rep, total, view_dump

FLAT_10 = [["0", "0.10"]]


def won(deal_id: str, day: str, amount: str, rep_id: str = "amy", **extra) -> dict:
    return deal("won", deal_id, day, rep=rep_id, amount=amount, **extra)


def quota(rep_id: str, quarter: str, amount: str) -> dict:
    return {"event_id": f"t:quota:{rep_id}:{quarter}", "type": "quota.set", "occurred_at": "2016-12-01",
            "source": "test", "rep_id": rep_id, "period": quarter, "amount": amount}


def test_accelerators_past_quota_through_the_pipeline():
    p = Pipeline()
    p.send(*plan("acc", [["0", "0.05"], ["1", "0.06"], ["1.25", "0.07"]], quota="100000"),
           won("D1", "2017-02-01", "150000"))
    assert total(p, "2017-Q1") == "8250.00"  # 5,000 + 25,000 x 6 % + 25,000 x 7 %


def test_a_gate_holds_accelerators_until_year_to_date_quota_is_met():
    p = Pipeline()
    p.send(*plan("gated", [["0", "0.05"], ["1", "0.06"], ["1.25", "0.07"]], quota="100000", gate=True),
           won("Q1", "2017-02-01", "50000"), won("Q2", "2017-05-01", "75000"), won("Q3", "2017-08-01", "150000"))
    assert total(p, "2017-Q3") == "7500.00"  # YTD 275,000 < 300,000: all at 5 %
    s = p.statement("amy", "2017-Q3")
    assert s["gate"] == {"ytd_revenue": "275000.00", "ytd_quota": "300000.00", "met": False}
    p.send(won("Q1b", "2017-03-01", "25000"))  # an earlier quarter moves the gate of a later one
    assert total(p, "2017-Q3") == "8250.00"  # YTD 300,000 meets 300,000


def test_retroactive_tiers_on_attainment_pay_every_deal_at_the_rate_reached():
    p = Pipeline()
    p.send(*plan("retro", [["0", "0.05"], ["1", "0.06"], ["1.25", "0.07"]], quota="100000", method="retroactive"),
           won("R1", "2017-02-01", "100000"), won("R2", "2017-02-02", "30000"))
    s = p.statement("amy", "2017-Q1")  # 130,000 of 100,000 is 130 %: the 7 % tier, on both deals
    assert [(l["deal"], l["tier"], l["amount"]) for l in s["lines"]] == [("R1", 3, "7000.00"), ("R2", 3, "2100.00")]
    assert s["total"] == "9100.00"


def test_a_version_effective_mid_quarter_applies_from_the_next_quarter():
    p = Pipeline()
    p.send(*plan("flat", FLAT_10), plan("flat", [["0", "0.20"]], version=2, effective_from="2017-05-15")[0],
           won("X", "2017-06-01", "1000"), won("Y", "2017-07-01", "1000"))
    assert (total(p, "2017-Q2"), p.statement("amy", "2017-Q2")["plan_version"]) == ("100.00", 1)
    assert (total(p, "2017-Q3"), p.statement("amy", "2017-Q3")["plan_version"]) == ("200.00", 2)


def test_cap_and_minimum_lines():
    p = Pipeline()
    p.send(*plan("capped", FLAT_10, cap="10000", minimum="1000"),
           won("BIG", "2017-02-01", "120000"), won("SMALL", "2017-05-01", "6000"))
    capped, floored = p.statement("amy", "2017-Q1"), p.statement("amy", "2017-Q2")
    assert (capped["total"], [l["amount"] for l in capped["lines"] if l["kind"] == "cap"]) == ("10000.00", ["-2000.00"])
    assert (floored["total"], [l["amount"] for l in floored["lines"] if l["kind"] == "minimum"]) == ("1000.00", ["400.00"])


def test_quota_is_prorated_by_days_for_a_rep_who_joins_mid_period():
    p = Pipeline()
    joined = {**rep("zoe", "Cy", "West"), "occurred_at": "2017-08-16"}
    p.send(*demo_plan(), joined, quota("zoe", "2017-Q3", "90000"), won("Z1", "2017-09-01", "1000", "zoe"))
    assert p.statement("zoe", "2017-Q3")["quota"] == "45000.00"  # 90,000 x 46 / 92 days


def test_a_join_is_prorated_from_its_day_in_the_business_time_zone_not_the_events_offset():
    quarters = []
    for at in ("2017-08-16T23:00:00-05:00", "2017-08-17T04:00:00Z"):  # one instant: 2017-08-17 in UTC
        p = Pipeline()
        p.send(*demo_plan(), {**rep("zoe", "Cy", "West"), "occurred_at": at}, quota("zoe", "2017-Q3", "90000"),
               won("Z1", "2017-09-01", "1000", "zoe"))
        quarters.append(p.statement("zoe", "2017-Q3")["quota"])
    assert quarters == ["44021.74", "44021.74"]  # 90,000 x 45 / 92 days = 44,021.739...


def test_a_credit_note_before_a_reopen_leaves_the_re_win_whole():
    p = Pipeline()
    p.send(*plan("flat", FLAT_10), won("R", "2017-02-01", "1000"),
           {"event_id": "t:cn", "type": "deal.credited", "occurred_at": "2017-02-10", "source": "test",
            "deal_id": "R", "credit_note_id": "CN-1", "amount": "1000"},
           deal("reopened", "R", "2017-03-01"), won("R", "2017-04-03", "2000") | {"event_id": "t:R:won:again"})
    s = p.statement("amy", "2017-Q2")
    assert (s["revenue"], s["total"], total(p, "2017-Q1")) == ("2000.00", "200.00", None)


def test_split_credit_sums_to_the_deal_and_goes_by_largest_remainder():
    p = Pipeline()
    halves = [{"rep_id": "amy", "share": "0.5"}, {"rep_id": "bo", "share": "0.5"}]
    p.send(*plan("flat", FLAT_10), won("S1", "2017-02-01", "1000", splits=halves),
           won("S2", "2017-05-01", "1000.01", splits=halves))
    credited = lambda who, q: p.statement(who, q)["lines"][0]["credited"]  # noqa: E731
    assert (credited("amy", "2017-Q1"), credited("bo", "2017-Q1")) == ("500.00", "500.00")
    assert (credited("amy", "2017-Q2"), credited("bo", "2017-Q2")) == ("500.01", "500.00")


def test_overlay_credit_is_extra_outside_the_100_percent():
    p = Pipeline()
    p.send(*plan("flat", FLAT_10), won("O1", "2017-02-01", "1000", overlays=[{"rep_id": "sy", "share": "0.25"}]))
    assert (total(p, "2017-Q1"), total(p, "2017-Q1", "sy")) == ("100.00", "25.00")
    assert p.store.won_totals() == (1, Decimal("1000"))


def test_a_deal_lost_in_its_open_period_leaves_nothing():
    p = Pipeline()
    p.send(*plan("flat", FLAT_10), won("W", "2017-02-01", "10000"), deal("lost", "W", "2017-03-01"))
    assert total(p, "2017-Q1") is None


def test_a_deal_lost_after_its_period_closed_adjusts_the_open_period():
    p = Pipeline()
    p.send(*plan("flat", FLAT_10), won("W", "2017-02-01", "10000"))
    p.send(close("2017-Q1"))
    p.send(deal("lost", "W", "2017-04-10"))
    closed = p.statement("amy", "2017-Q1")
    assert (closed["total"], closed["closed"]) == ("1000.00", True)  # untouched
    adjustment = p.statement("amy", "2017-Q2")
    assert adjustment["total"] == "-1000.00"
    assert [(l["kind"], l["adjusts"], l["amount"]) for l in adjustment["lines"]] == [
        ("adjustment", "2017-Q1", "-1000.00")]


def test_demo_plan_reversal_after_close_drops_b_back_into_the_8_percent_tier():
    p = Pipeline()
    p.send(*demo_plan(), won("A", "2017-04-01", "100000"), won("B", "2017-04-02", "100000"))
    assert total(p, "2017-Q2") == "18000.00"  # 12,000 + 50,000 x 12 %
    p.send(close("2017-Q2"))
    p.send(deal("lost", "A", "2017-07-03"))
    assert total(p, "2017-Q2") == "18000.00"
    assert total(p, "2017-Q3") == "-10000.00"  # due now 100,000 x 8 % = 8,000; paid 18,000


def test_a_partial_credit_note_re_evaluates_the_period_it_was_credited_in():
    p = Pipeline()
    p.send(*plan("flat", FLAT_10), won("C", "2017-02-01", "1000"),
           {"event_id": "t:cn1", "type": "deal.credited", "occurred_at": "2017-03-05", "source": "test",
            "deal_id": "C", "credit_note_id": "CN-1", "amount": "250"})
    assert total(p, "2017-Q1") == "75.00"  # (1,000 - 250) x 10 %


def test_a_new_plan_version_effective_next_quarter_changes_nothing_in_this_one():
    p = Pipeline()
    p.send(*plan("flat", FLAT_10), won("X", "2017-02-01", "1000"), won("Y", "2017-05-01", "1000"))
    before = p.statement("amy", "2017-Q1")
    p.send(plan("flat", [["0", "0.20"]], version=2, effective_from="2017-04-01")[0])
    assert p.statement("amy", "2017-Q1") == before
    assert (total(p, "2017-Q2"), p.statement("amy", "2017-Q2")["plan_version"]) == ("200.00", 2)


def test_republishing_a_version_with_other_terms_is_dead_lettered():
    p = Pipeline()
    p.send(*plan("flat", FLAT_10))
    p.send(plan("flat", [["0", "0.50"]])[0] | {"event_id": "t:plan:flat:v1:again"})
    letters = p.door.dead_letters.all()
    assert [(d.field, "already published" in d.reason) for d in letters] == [("definition", True)]


def history() -> list[dict]:
    return [*demo_plan(), rep("amy", "Cy", "West"), won("A", "2017-04-01", "100000"),
            won("B", "2017-04-02", "100000"), won("C", "2017-05-02", "30000", "bo"),
            deal("lost", "C", "2017-05-09", rep="bo"), won("D", "2017-07-02", "5000")]


def test_shuffled_facts_on_each_side_of_a_close_give_identical_statements():
    def run(seed: int | None) -> dict:
        before, after = history()[:-1], [deal("lost", "A", "2017-07-05"), history()[-1]]
        if seed is not None:
            random.Random(seed).shuffle(before)
            random.Random(seed).shuffle(after)
        p = Pipeline()
        p.send(*before, batch=2)
        p.send(close("2017-Q2"))
        p.send(*after, batch=1)
        return view_dump(p.store)

    reference = run(None)
    assert all(run(seed) == reference for seed in range(6))
    assert reference["statements"][("amy", "2017-Q3")]["total"] == "-9600.00"  # -10,000 + 5,000 x 8 %


def test_replaying_the_ledger_from_zero_reproduces_every_statement():
    p = Pipeline()
    p.send(*history())
    p.send(close("2017-Q2"), deal("lost", "A", "2017-07-05"))
    rebuilt = MemoryViewStore()
    Projector(p.ledger, rebuilt, RULES).catch_up()
    assert view_dump(rebuilt) == view_dump(p.store)
    assert rebuilt.statement("amy", "2017-Q2") == p.statement("amy", "2017-Q2")  # positions too


def test_no_float_reaches_a_money_path():
    with decimal.localcontext() as ctx:
        ctx.traps[decimal.FloatOperation] = True  # any float meeting a Decimal raises
        p = Pipeline()
        p.send(*demo_plan(), won("F", "2017-04-01", 1234.56), won("G", "2017-04-02", "0.1"),
               won("H", "2017-04-03", 160000))
        s = p.statement("amy", "2017-Q2")
    assert s["revenue"] == "161234.66"
    assert all(isinstance(v, str) for line in s["lines"] for k, v in line.items() if k in ("amount", "base", "rate"))
