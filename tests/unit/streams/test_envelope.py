from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import orjson
import pytest

from domain.facts import ActivityFact, DealFact, RepFact
from streams.envelope import parse_event
from streams.exceptions import InvalidEvent

UTC = timezone.utc


def won(**overrides):
    raw = {"event_id": "e1", "type": "deal.won", "occurred_at": "2017-05-02", "source": "t",
           "deal_id": "D1", "rep_id": "amy", "amount": "1200.50", "currency": "USD"}
    raw.update(overrides)
    return {k: v for k, v in raw.items() if v is not ...}


def parse(raw, tz=UTC):
    return parse_event(raw, tz=tz, currency="USD")


def refusal(raw) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as caught:
        parse(raw)
    return caught.value


def test_a_good_won_event_becomes_a_deal_fact_with_a_decimal_amount():
    fact = parse(won())
    assert isinstance(fact, DealFact)
    assert (fact.kind, fact.amount, fact.occurred_at) == (
        "won", Decimal("1200.50"), datetime(2017, 5, 2, tzinfo=UTC))


def test_a_date_alone_is_midnight_in_the_business_time_zone():
    fact = parse(won(), tz=ZoneInfo("Europe/Paris"))
    assert fact.occurred_at == datetime(2017, 5, 2, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize("value, expected", [(1200.5, "1200.5"), (0.1, "0.1"), (42, "42"),
                                             (1234567890123.45, "1234567890123.45")])
def test_json_numbers_convert_exactly_through_their_shortest_form(value, expected):
    fact = parse(orjson.loads(orjson.dumps(won(amount=value))))
    assert fact.amount == Decimal(expected)


@pytest.mark.parametrize("raw, field, words", [
    (won(event_id=...), "event_id", "missing"),
    (won(type="deal.exploded"), "type", "not one of"),
    (won(occurred_at="2017-02-30"), "occurred_at", "ISO-8601"),
    (won(occurred_at="yesterday"), "occurred_at", "ISO-8601"),
    (won(amount=...), "amount", "missing"),
    (won(amount="12,5"), "amount", "decimal"),
    (won(amount="1e5"), "amount", "decimal"),
    (won(amount="NaN"), "amount", "decimal"),
    (won(amount="-5"), "amount", "at least 0"),
    (won(amount=1234567890123456.7), "amount", "not exact"),
    (won(amount=12345678901234567), "amount", "15 digits"),
    (won(amount=True), "amount", "decimal"),
    (won(rep_id=""), "rep_id", "non-empty"),
    (won(currency="EUR"), "currency", "ledger currency"),
    (won(splits=[{"rep_id": "a", "share": "0.5"}, {"rep_id": "b", "share": "0.4"}]), "splits", "sum to 1"),
    (won(splits=[{"rep_id": "a", "share": "-0.5"}, {"rep_id": "b", "share": "1.5"}]), "splits[0].share", "above 0"),
    (won(splits=[{"rep_id": "a", "share": "0.5"}, {"rep_id": "a", "share": "0.5"}]), "splits", "more than once"),
    (won(splits="amy"), "splits", "list"),
    (won(amount="\u0661\u0662\u0663"), "amount", "decimal string"),
    (won(amount=" 12 "), "amount", "decimal string"),
    (won(amount="12.345"), "amount", "2 decimal places"),
    (won(amount="10000000000000"), "amount", "10 trillion"),
    (won(amount=1e20), "amount", "10 trillion"),
    (won(amount="1" * 41), "amount", "decimal string"),
    (won(occurred_at="0217-05-02"), "occurred_at", "outside the years"),
    (won(occurred_at="0001-01-01T00:00:00+05:00"), "occurred_at", "outside the years"),
    (won(occurred_at="9999-12-31T23:00:00-05:00"), "occurred_at", "outside the years"),
    (won(deal_id="x" * 257), "deal_id", "at most 256"),
    (won(rep_id="amy\nbo"), "rep_id", "control character (U+000A)"),
    (won(rep_id="amy\tbo"), "rep_id", "contains a control character (U+0009)"),
    (won(rep_id="amy\u0085"), "rep_id", "contains a control character (U+0085)"),
    (won(product="GTX\u009b"), "product", "contains a control character (U+009B)"),
    (won(rep_id="\u202eyma"), "rep_id", "contains a bidirectional control character (U+202E RIGHT-TO-LEFT OVERRIDE)"),
    (won(account="\u2066Acme\u2069"), "account", "contains a bidirectional control character (U+2066 LEFT-TO-RIGHT ISOLATE)"),
    (won(rep_id="amy\u200b"), "rep_id", "contains an invisible format character (U+200B ZERO WIDTH SPACE)"),
    (won(rep_id="a\u00admy"), "rep_id", "contains an invisible format character (U+00AD SOFT HYPHEN)"),
    (won(deal_id="D\ufeff1"), "deal_id", "(U+FEFF ZERO WIDTH NO-BREAK SPACE)"),
    (won(product="GTX\U000e0041"), "product", "(U+E0041 TAG LATIN CAPITAL LETTER A)"),
    (won(splits=[{"rep_id": "a", "share": "0.5000000000001"}, {"rep_id": "b", "share": "0.4999999999999"}]),
     "splits[0].share", "12 decimal places"),
    (won(overlays=[{"rep_id": "amy", "share": "0.1"}]), "overlays", "split credit"),
    (won(estimated="yes"), "estimated", "true or false"),
    ({**won(type="deal.credited"), "credit_note_id": "CN"} | {"amount": "0"}, "amount", "above 0"),
    ({"event_id": "q", "type": "quota.set", "occurred_at": "2017-01-01", "source": "t", "rep_id": "amy",
      "period": "2017-05", "amount": "10"}, "period", "quarter"),
    ({"event_id": "p", "type": "plan.published", "occurred_at": "2017-01-01", "source": "t", "plan_id": "x",
      "version": 1, "effective_from": "2017-01-01", "tiers": [["0", "0.1"], ["0", "0.2"]]}, "tiers[1].floor", "rise"),
    ({"event_id": "p", "type": "plan.assigned", "occurred_at": "2017-01-01", "source": "t", "plan_id": "x",
      "scope": "team:x", "effective_from": "2017-01-01"}, "scope", "company"),
])
def test_bad_events_are_refused_naming_the_field_and_the_reason(raw, field, words):
    error = refusal(raw)
    assert error.field == field
    assert words in error.reason


def test_negative_zero_is_read_as_zero():
    assert str(parse(won(amount="-0")).amount) == "0.00"


def test_splits_summing_to_one_are_kept_in_order():
    fact = parse(won(splits=[{"rep_id": "b", "share": "0.25"}, {"rep_id": "a", "share": 0.75}]))
    assert [(s.rep_id, s.share) for s in fact.splits] == [("b", Decimal("0.25")), ("a", Decimal("0.75"))]


def test_rep_and_activity_events():
    rep = parse({"event_id": "r", "type": "rep.joined", "occurred_at": "2017-01-01", "source": "t",
                 "rep_id": "amy", "manager": "Bo", "region": "West"})
    act = parse({"event_id": "a", "type": "activity.logged", "occurred_at": "2017-01-01T10:00:00Z",
                 "source": "t", "activity_id": "A1", "rep_id": "amy", "kind": "Call", "duration_s": 60})
    assert isinstance(rep, RepFact) and (rep.manager, rep.region) == ("Bo", "West")
    assert isinstance(act, ActivityFact) and act.kind == "call"


def test_activity_duration_must_be_a_whole_number():
    with pytest.raises(InvalidEvent, match="duration_s"):
        parse({"event_id": "a", "type": "activity.logged", "occurred_at": "2017-01-01", "source": "t",
               "activity_id": "A1", "rep_id": "amy", "kind": "call", "duration_s": -3})


@pytest.mark.parametrize("value, cents", [("1.000", "1.00"), ("500", "500.00"), (42, "42.00"), (0.1, "0.10"),
                                          ("-0", "0.00")])
def test_every_amount_is_kept_in_cents(value, cents):
    assert str(parse(won(amount=value)).amount) == cents
