"""tally estimate: what one more deal would pay, from hand-computed figures; nothing is written."""
from decimal import Decimal

import pytest

from tally.what_if import what_if
from tests.helpers import close, deal, demo_plan, plan
from tests.unit.tally.states import state, tally

FLAT_10 = [["0", "0.10"]]


def test_an_estimate_lands_in_the_tier_the_deal_reaches_and_writes_nothing(tmp_path):
    app = state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100000"))
    ledger_at, views_at = app.ledger.recorder.max_notification_id(), app.views.position()
    answer = what_if(app, "amy", "100000", None)
    # quota 150,000: 50,000 more at 8 % = 4,000, the other 50,000 at 12 % = 6,000
    assert (answer["period"], answer["total_before"], answer["total_after"], answer["pays"]) == (
        "2017-Q2", "8000.00", "18000.00", "10000.00")
    assert [(l["tier"], l["base"], l["amount"]) for l in answer["lines"]] == [
        (1, "50000.00", "4000.00"), (2, "50000.00", "6000.00")]
    assert (app.ledger.recorder.max_notification_id(), app.views.position()) == (ledger_at, views_at)


def test_as_of_is_the_close_date_and_every_deal_of_the_quarter_counts(tmp_path):
    app = state(tmp_path, *demo_plan(), deal("won", "A", "2017-10-01", amount="100000"),
                deal("won", "B", "2017-11-20", amount="100000"))
    answer = what_if(app, "amy", "1000", "2017-10-15")  # B, dated after 2017-10-15, counts too
    # before: 150,000 x 8 % + 50,000 x 12 % = 18,000; after: 12,000 + 51,000 x 12 % = 18,120
    assert (answer["as_of"], answer["total_before"], answer["total_after"], answer["pays"]) == (
        "2017-10-15", "18000.00", "18120.00", "120.00")


def pays_then_ingest(tmp_path, rep_id: str, amount: str, as_of: str) -> tuple[str, str, str]:
    """(paid_in, pays, how far ingesting that very deal moves the statement it lands on)."""
    app = state(tmp_path)
    answer = what_if(app, rep_id, amount, as_of)
    before = (app.reader.statement(rep_id, answer["paid_in"]) or {"total": "0.00"})["total"]
    state(tmp_path, deal("won", "NEW", as_of, rep=rep_id, amount=amount))
    after = app.reader.statement(rep_id, answer["paid_in"])["total"]
    return answer["paid_in"], answer["pays"], str(Decimal(after) - Decimal(before))


def test_ingesting_the_estimated_deal_moves_its_quarter_by_exactly_what_it_pays(tmp_path):
    state(tmp_path, *demo_plan(), deal("won", "A", "2017-10-01", amount="100000"),
          deal("won", "B", "2017-11-20", amount="100000"))
    assert pays_then_ingest(tmp_path, "amy", "1000", "2017-10-15") == ("2017-Q4", "120.00", "120.00")


def test_a_deal_dated_in_a_closed_quarter_pays_its_adjustment_in_the_open_one(tmp_path):
    state(tmp_path, *demo_plan(), deal("won", "A", "2017-07-10", amount="100000"),
          deal("won", "B", "2017-09-10", amount="100000"), deal("won", "C", "2017-10-05", amount="10000"))
    state(tmp_path, close("2017-Q3", day="2017-10-06"))
    # Q3 paid 18,000; with 10,000 more: 12,000 + 60,000 x 12 % = 19,200, so +1,200 in Q4 (C: 800)
    assert pays_then_ingest(tmp_path, "amy", "10000", "2017-08-01") == ("2017-Q4", "1200.00", "1200.00")


def test_a_deal_landing_where_no_plan_covers_the_rep_still_pays_its_adjustment(tmp_path):
    flat = plan("flat", FLAT_10, scope="rep:amy", effective_from="2017-01-01")
    flat[1]["effective_to"] = "2017-04-01"
    state(tmp_path, *flat, deal("won", "A", "2017-02-01", amount="1000"))
    state(tmp_path, close("2017-Q1", day="2017-04-01"))
    assert pays_then_ingest(tmp_path, "amy", "100", "2017-02-01") == ("2017-Q2", "10.00", "10.00")


def test_a_deal_in_a_quarter_no_plan_covers_pays_nothing_and_says_why(tmp_path):
    flat = plan("flat", FLAT_10, scope="rep:amy", effective_from="2017-01-01")
    flat[1]["effective_to"] = "2017-04-01"
    app = state(tmp_path, *flat, deal("won", "A", "2017-02-01", amount="1000"))
    answer = what_if(app, "amy", "100", "2017-05-01")
    assert (answer["plan"], answer["pays"], answer["lines"]) == (None, "0.00", [])
    assert answer["note"] == "no plan covers amy in 2017-Q2: credited deals earn no commission"


def test_totals_include_adjustment_lines(tmp_path):
    app = state(tmp_path, *plan("flat", FLAT_10), deal("won", "A", "2017-02-01", amount="10000"))
    state(tmp_path, close("2017-Q1", day="2017-04-01"))
    state(tmp_path, deal("lost", "A", "2017-04-02"), deal("won", "B", "2017-04-03", amount="2000"))
    answer = what_if(app, "amy", "1000", None)
    # Q2: 2,000 x 10 % = 200, adjustment for Q1 (paid 1,000, now due 0) -1,000: -800; one more 1,000: +100
    assert (answer["total_before"], answer["total_after"], answer["pays"]) == ("-800.00", "-700.00", "100.00")


@pytest.mark.parametrize("amount, as_of, words", [
    ("1e30", None, "--deal: '1e30' is not a decimal string"),
    ("1e400", None, "--deal: '1e400' is not a decimal string"),
    ("1E+999999999", None, "--deal: '1E+999999999' is not a decimal string"),
    ("99999999999999999999", None, "--deal: '99999999999999999999' is 10 trillion or more"),
    ("0.001", None, "--deal: '0.001' has more than 2 decimal places"),
    ("1_000", None, "--deal: '1_000' is not a decimal string"),
    (" 12 ", None, "--deal: ' 12 ' is not a decimal string"),
    ("0", None, "--deal: must be above 0"),
    ("100", "9999-12-31", "--as-of: '9999-12-31' is outside the years 1900-2100"),
    ("100", "", "--as-of: must be a non-empty string"),
    ("100", "2017-13-01", "--as-of: '2017-13-01' is not a date"),
])
def test_input_ingest_would_refuse_is_refused_naming_the_option(tmp_path, amount, as_of, words):
    app = state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100"))
    with pytest.raises(ValueError) as caught:
        what_if(app, "amy", amount, as_of)
    assert str(caught.value).startswith(words)


def test_an_unknown_rep_is_an_error_exit_2(tmp_path):
    state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100"))
    result = tally(tmp_path, "estimate", "Nobody", "--deal", "1000")
    assert (result.exit_code, "no rep named 'Nobody' in the ledger" in result.output) == (2, True)


def test_now_is_the_latest_sales_fact_not_a_plan_dated_ahead(tmp_path):
    app = state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100"),
                *plan("next", FLAT_10, effective_from="2099-01-01", scope="region:Nowhere"))
    assert (what_if(app, "amy", "100", None)["as_of"], what_if(app, "amy", "100", None)["period"]) == (
        "2017-04-01", "2017-Q2")
