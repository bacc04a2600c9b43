"""Facts for a closed period become adjustment lines in the first open period after it."""
from tests.helpers import Pipeline, close, deal, plan, total

FLAT_10 = plan("flat", [["0", "0.10"]])


def credit_note(deal_id: str, day: str, amount: str) -> dict:
    return {"event_id": f"t:cn:{deal_id}:{day}", "type": "deal.credited", "occurred_at": day, "source": "test",
            "deal_id": deal_id, "credit_note_id": f"CN-{deal_id}", "amount": amount}


def lines(p: Pipeline, quarter: str) -> list[tuple[str, str, str]]:
    return [(l["kind"], l["adjusts"], l["amount"]) for l in p.statement("amy", quarter)["lines"]]


def test_a_credit_note_after_the_close_is_an_adjustment_in_the_next_open_period():
    p = Pipeline()
    p.send(*FLAT_10, deal("won", "A", "2017-02-01", amount="10000"), deal("won", "B", "2017-04-05", amount="500"))
    p.send(close("2017-Q1"))
    p.send(credit_note("A", "2017-04-10", "2500"))  # 2,500 of A taken back: 250.00 less commission
    assert total(p, "2017-Q1") == "1000.00"
    assert lines(p, "2017-Q2") == [("credit", "", "50.00"), ("adjustment", "2017-Q1", "-250.00")]
    assert total(p, "2017-Q2") == "-200.00"


def test_a_late_win_into_a_closed_period_is_an_adjustment_and_skips_closed_periods():
    p = Pipeline()
    p.send(*FLAT_10, deal("won", "A", "2017-02-01", amount="1000"), deal("won", "B", "2017-05-01", amount="1000"))
    p.send(close("2017-Q1"), close("2017-Q2"))
    p.send(deal("won", "L", "2017-03-30", amount="3000"))  # recorded after both closes
    assert (total(p, "2017-Q1"), total(p, "2017-Q2")) == ("100.00", "100.00")
    assert lines(p, "2017-Q3") == [("adjustment", "2017-Q1", "300.00")]
