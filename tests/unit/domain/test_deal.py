from datetime import datetime, timezone
from decimal import Decimal

from domain.deal import Deal
from domain.facts import DealFact
from domain.ids import deal_uuid


def fact(event_id: str, kind: str, day: int, amount: str | None = None, rep: str = "amy") -> DealFact:
    return DealFact(event_id, kind, datetime(2017, 3, day, tzinfo=timezone.utc), "test", "D1", rep,
                    "USD", Decimal(amount) if amount else None)


def outcome_after(*facts: DealFact) -> dict:
    deal = Deal("D1")
    for f in facts:
        deal.record(f)
    return deal.outcome


def test_deal_id_is_uuid5_of_the_source_id():
    assert Deal("D1").id == deal_uuid("D1") == deal_uuid("D1")


def test_the_same_event_id_twice_is_a_no_op():
    deal = Deal("D1")
    assert deal.record(fact("e1", "won", 5, "10")) is True
    version = deal.version
    assert deal.record(fact("e1", "won", 5, "10")) is False
    assert deal.version == version


def test_won_arriving_before_opened_converges_to_the_same_deal():
    opened, won = fact("o", "opened", 1), fact("w", "won", 9, "120")
    assert outcome_after(won, opened) == outcome_after(opened, won)
    assert outcome_after(won, opened)["status"] == "won"
    assert outcome_after(won, opened)["amount"] == Decimal("120")


def test_lost_after_won_in_business_time_takes_the_credit_back_whatever_the_arrival():
    won, lost = fact("w", "won", 5, "100"), fact("l", "lost", 7)
    for order in ((won, lost), (lost, won)):
        result = outcome_after(*order)
        assert (result["status"], result["won_at"]) == ("lost", None)


def test_won_after_lost_in_business_time_is_won_at_its_own_time():
    result = outcome_after(fact("w", "won", 8, "50"), fact("l", "lost", 2))
    assert result["status"] == "won"
    assert result["won_at"] == datetime(2017, 3, 8, tzinfo=timezone.utc)


def test_recorded_events_carry_the_outcome_so_replay_never_re_decides():
    deal = Deal("D1")
    deal.record(fact("w", "won", 5, "100"))
    events = deal.collect_events()
    assert events[-1].outcome == deal.outcome
    copy = None
    for e in events:
        copy = e.mutate(copy)
    assert copy.outcome == deal.outcome and copy.applied == {"w"}


def credit_note(event_id: str, day: int, amount: str) -> DealFact:
    return DealFact(event_id, "credited", datetime(2017, 3, day, tzinfo=timezone.utc), "test", "D1", None,
                    "USD", Decimal(amount), credit_note_id=f"CN-{event_id}")


def test_a_credit_note_from_before_a_reopen_does_not_reduce_the_re_win():
    outcome = outcome_after(fact("w1", "won", 1, "1000"), credit_note("c1", 2, "1000"), fact("r", "reopened", 3),
                            fact("w2", "won", 4, "2000"))
    assert (outcome["status"], outcome["amount"], outcome["credit_notes"]) == ("won", Decimal("2000"), {})


def test_a_credit_note_after_the_latest_win_counts_whatever_the_arrival_order():
    facts = [fact("w1", "won", 1, "1000"), fact("r", "reopened", 3), fact("w2", "won", 4, "2000"),
             credit_note("c2", 5, "300")]
    assert outcome_after(*reversed(facts))["credit_notes"] == outcome_after(*facts)["credit_notes"] == {
        "CN-c2": Decimal("300")}
