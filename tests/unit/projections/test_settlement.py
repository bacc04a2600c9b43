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


def every_statement(path) -> dict:
    """Every statement the SQLite views hold, without ledger positions (they follow arrival order)."""
    import sqlite3

    import orjson

    from projections.audit import unplaced

    with sqlite3.connect(path) as db:
        return {(r, q): unplaced(orjson.loads(b)) for r, q, b in db.execute("SELECT rep, quarter, body FROM statements")}


def minimum_story() -> list[dict]:
    """Plan P (10 %, minimum 500) for the company; from Q3 plan Z (5 %, no minimum) instead."""
    p_plan = plan("P", [["0", "0.10"]], minimum="500", effective_from="2017-01-01")
    z_plan = plan("Z", [["0", "0.05"]], effective_from="2017-07-01")
    joined = {"event_id": "t:rep:A", "type": "rep.joined", "occurred_at": "2017-01-01", "source": "test",
              "rep_id": "A", "region": "West"}
    late_activity = {"event_id": "t:act:1", "type": "activity.logged", "occurred_at": "2017-12-01",
                     "source": "test", "activity_id": "A1", "rep_id": "A", "kind": "call"}
    return [*p_plan, joined, deal("won", "X1", "2017-02-01", rep="X", amount="100"),
            deal("lost", "X1", "2017-02-15", rep="X"), late_activity, z_plan[0],
            deal("won", "B1", "2017-02-10", rep="B", amount="1000"),
            deal("won", "B3", "2017-08-01", rep="B", amount="3000"), z_plan[1]]


# A (joined): the minimum in Q1 and Q2 under P, none under Z from Q3 although the clock is in Q4.
# X (no rep fact, its only deal lost): nothing credited, so no statement anywhere.
# B (no rep fact): 1,000 x 10 % = 100 in Q1, raised to the minimum 500; 3,000 x 5 % = 150 in Q3.
EXPECTED_TOTALS = {("A", "2017-Q1"): "500.00", ("A", "2017-Q2"): "500.00", ("B", "2017-Q1"): "500.00",
                   ("B", "2017-Q3"): "150.00"}


def run(tmp_path, name: str, facts: list[dict], *, batch: int, restart: bool) -> dict:
    from projections.projector import Projector
    from projections.sqlite_store import SqliteViewStore
    from tests.helpers import RULES

    path = tmp_path / f"{name}.db"
    p = Pipeline(SqliteViewStore(path))
    for start in range(0, len(facts), batch):
        if restart:  # a new process: a new store object and projector over the same views
            p.store = SqliteViewStore(path)
            p.projector = Projector(p.ledger, p.store, RULES, feed=p.feed)
        p.send(*facts[start:start + batch])
    return every_statement(path)


def test_minimum_statements_are_the_same_in_one_batch_many_batches_and_across_restarts(tmp_path):
    facts = minimum_story()
    one = run(tmp_path, "one", facts, batch=len(facts), restart=False)
    assert {k: s["total"] for k, s in one.items()} == EXPECTED_TOTALS
    assert run(tmp_path, "many", facts, batch=1, restart=False) == one
    assert run(tmp_path, "restarts", facts, batch=1, restart=True) == one
    assert run(tmp_path, "reversed", facts[::-1], batch=1, restart=True) == one
    assert run(tmp_path, "pairs", facts[1::2] + facts[::2], batch=2, restart=True) == one


def test_a_late_credit_note_lands_in_the_open_quarter_even_without_a_plan_there():
    z_plan = plan("Z", [["0", "0.10"]], scope="rep:Z", effective_from="2017-01-01")
    z_plan[1]["effective_to"] = "2017-04-01"
    p = Pipeline()
    p.send(*z_plan, deal("won", "D", "2017-02-02", rep="Z", amount="50000"))
    p.send(close("2017-Q1", day="2017-04-01"))
    p.send(credit_note("D", "2017-04-05", "20000"))
    q2 = p.statement("Z", "2017-Q2")  # 20,000 x 10 % taken back from the closed Q1
    assert [(l["kind"], l["adjusts"], l["amount"]) for l in q2["lines"]] == [("adjustment", "2017-Q1", "-2000.00")]
    assert (q2["plan"], q2["total"], q2["note"]) == (
        None, "-2000.00", "no plan covers Z in 2017-Q2: credited deals earn no commission")
    assert p.statement("Z", "2017-Q1")["total"] == "5000.00"  # closed: untouched


def test_deals_credited_without_a_plan_give_a_statement_that_says_so():
    p = Pipeline()
    p.send(deal("won", "D", "2017-02-02", rep="N", amount="1000"))
    s = p.statement("N", "2017-Q1")
    assert (s["plan"], s["revenue"], s["lines"], s["total"]) == (None, "1000.00", [], "0.00")
    assert s["note"] == "no plan covers N in 2017-Q1: credited deals earn no commission"
