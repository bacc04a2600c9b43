"""A published plan's terms are read strictly at the door: a bad term is one dead letter
naming the field, and the events around it are ingested."""
from decimal import Decimal

import pytest

from streams.exceptions import InvalidEvent
from streams.plan_terms import read_plan
from tests.helpers import Pipeline, deal, plan


def published(**terms) -> dict:
    raw = {"plan_id": "p", "version": 1, "effective_from": "2017-01-01", "tiers": [["0", "0.1"]], **terms}
    return {k: v for k, v in raw.items() if v is not ...}


BAD_TERMS = [
    ({"quota": "NaN"}, "quota", "decimal string"),
    ({"quota": "Infinity"}, "quota", "decimal string"),
    ({"cap": "sNaN"}, "cap", "decimal string"),
    ({"quota": float("nan")}, "quota", "finite"),
    ({"minimum": float("inf")}, "minimum", "finite"),
    ({"quota": Decimal("NaN")}, "quota", "finite"),  # TOML nan, read as Decimal
    ({"quota": Decimal("Infinity")}, "quota", "finite"),
    ({"quota": "1e30"}, "quota", "decimal string"),
    ({"cap": "1e400"}, "cap", "decimal string"),
    ({"quota": Decimal("1E+400")}, "quota", "10 trillion"),
    ({"quota": "10000000000000"}, "quota", "10 trillion"),
    ({"quota": "100000.123456789"}, "quota", "2 decimal places"),
    ({"quota": "-1"}, "quota", "at least 0"),
    ({"cap": "-5"}, "cap", "at least 0"),
    ({"gate": "false"}, "gate", "true or false"),
    ({"gate": 1}, "gate", "true or false"),
    ({"name": 5}, "name", "string"),
    ({"basis": ["attainment"]}, "basis", "string"),
    ({"basis": "profit"}, "basis", "one of"),
    ({"tiers": ...}, "tiers", "missing"),
    ({"tiers": "abc"}, "tiers", "list"),
    ({"tiers": []}, "tiers", "list"),
    ({"tiers": [{"floor": "0"}]}, "tiers[0].rate", "missing"),
    ({"tiers": [{"rate": "0.1"}]}, "tiers[0].floor", "missing"),
    ({"tiers": [{"floor": "0", "rate": "0.1", "cap": "5"}]}, "tiers[0].cap", "not a tier term"),
    ({"tiers": [["0", "0.1", "0.2"]]}, "tiers[0]", "[floor, rate]"),
    ({"tiers": ["0.1"]}, "tiers[0]", "[floor, rate]"),
    ({"tiers": [["0", "0.1"], ["1", "NaN"]]}, "tiers[1].rate", "decimal string"),
    ({"tiers": [["0", "0.1"], ["1", "11"]]}, "tiers[1].rate", "between 0 and 10"),
    ({"tiers": [["0", "0.1"], ["1", "0.0000001"]]}, "tiers[1].rate", "6 decimal places"),
    ({"tiers": [["0.5", "0.1"]]}, "tiers[0].floor", "start at 0"),
    ({"tiers": [["0", "0.1"], ["2", "0.2"], ["1", "0.3"]]}, "tiers[2].floor", "rise"),
    ({"cap": "100", "minimum": "200"}, "cap", "below the minimum"),
    ({"effective_from": ...}, "effective_from", "missing"),
    ({"effective_from": "9999-12-31"}, "effective_from", "1900-2100"),
    ({"effective_from": "July"}, "effective_from", "date like"),
    ({"version": "1"}, "version", "whole number"),
]


@pytest.mark.parametrize("terms, field, words", BAD_TERMS)
def test_a_bad_plan_term_is_refused_naming_the_field_and_the_reason(terms, field, words):
    with pytest.raises(InvalidEvent) as caught:
        read_plan(published(**terms))
    assert (caught.value.field, words in caught.value.reason) == (field, True), caught.value.reason


@pytest.mark.parametrize("terms, field, words", BAD_TERMS)
def test_a_bad_plan_is_one_dead_letter_and_the_events_around_it_are_ingested(terms, field, words):
    p = Pipeline()
    bad = {"event_id": "t:bad-plan", "type": "plan.published", "occurred_at": "2017-01-01", "source": "test",
           **published(plan_id="bad", **terms)}
    p.send(*plan("flat", [["0", "0.1"]]), deal("won", "A", "2017-02-01", amount="1000"), bad,
           deal("won", "B", "2017-02-02", amount="500"))
    assert [d.field for d in p.door.dead_letters.all()] == [field]
    assert p.statement("amy", "2017-Q1")["total"] == "150.00"  # (1,000 + 500) x 10 %


def test_toml_numbers_read_as_decimals_are_kept_exactly():
    read = read_plan(published(quota=Decimal("100000.50"), tiers=[{"floor": Decimal("0"), "rate": Decimal("0.1")}]))
    assert (read.quota, read.tiers[0].rate) == (Decimal("100000.50"), Decimal("0.1"))


def test_a_gate_that_is_false_is_off():
    # Quota 1,000 a quarter; one 1,500 deal in Q2 (year-to-date quota 2,000 is not met).
    # Gate off: 1,000 x 10 % + 500 x 50 % = 350.00 (a gate would hold the 500 at 10 %: 150.00).
    p = Pipeline()
    p.send(*plan("g", [["0", "0.1"], ["1", "0.5"]], quota="1000", gate=False),
           deal("won", "A", "2017-05-01", amount="1500"))
    assert p.statement("amy", "2017-Q2")["total"] == "350.00"
