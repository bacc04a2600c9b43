from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from domain.exceptions import FactRefused
from domain.facts import ActivityFact, DealFact, PeriodFact, PlanFact, QuotaFact, RepFact
from domain.ledger import Ledger

CACHED = {"PERSISTENCE_MODULE": "eventsourcing.popo", "AGGREGATE_CACHE_MAXSIZE": "100",
          "AGGREGATE_CACHE_FASTFORWARD": "n", "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}


def won(event_id: str, deal_id: str, amount: str) -> DealFact:
    return DealFact(event_id, "won", datetime(2017, 5, 1, tzinfo=timezone.utc), "t", deal_id, "amy",
                    "USD", Decimal(amount))


def test_a_batch_is_one_transaction_and_duplicates_inside_it_are_no_ops():
    ledger = Ledger(env=CACHED)
    assert ledger.record([won("e1", "D1", "5"), won("e1", "D1", "5"), won("e2", "D2", "7")]) == 2
    assert ledger.record([won("e1", "D1", "5")]) == 0
    # created + one fact for each of the two deals
    assert ledger.recorder.max_notification_id() == 4


def test_a_failed_batch_leaves_no_trace_in_the_cache_so_a_retry_records_it(monkeypatch):
    ledger = Ledger(env=CACHED)
    ledger.record([won("e1", "D1", "5")])
    real_save = ledger.save

    def failing_save(*aggregates):
        raise OSError("disk full")

    monkeypatch.setattr(ledger, "save", failing_save)
    with pytest.raises(OSError):
        ledger.record([won("e2", "D1", "9")])
    monkeypatch.setattr(ledger, "save", real_save)
    assert ledger.record([won("e2", "D1", "9")]) == 1
    assert ledger.deal("D1").outcome["amount"] == Decimal("9")


def test_a_deal_missing_from_a_cold_cache_is_found_and_extended_not_twinned(tmp_path):
    env = {**CACHED, "PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "l.db")}
    Ledger(env=env).record([won("e1", "D1", "5")])
    cold = Ledger(env=env)  # a restarted writer: nothing cached
    assert cold.record([won("e1", "D1", "5"), won("e2", "D1", "8"), won("e3", "D2", "1")]) == 2
    assert cold.deal("D1").applied == {"e1", "e2"}
    assert cold.recorder.max_notification_id() == 5  # D1: 2 + 1 more, D2: 2


def _at(day: int) -> datetime:
    return datetime(2017, 5, day, tzinfo=timezone.utc)


REUSED = {  # (a fact, the same event_id with other content)
    "deal": (won("e", "D1", "5"), won("e", "D1", "6")),
    "rep": (RepFact("e", "joined", _at(1), "t", "amy", "Cy", "West"), RepFact("e", "joined", _at(1), "t", "amy", "Cy", "East")),
    "quota": (QuotaFact("e", _at(1), "t", "amy", "2017-Q2", Decimal(10)), QuotaFact("e", _at(1), "t", "amy", "2017-Q2", Decimal(20))),
    "activity": (ActivityFact("e", _at(1), "t", "A1", "amy", "call"), ActivityFact("e", _at(1), "t", "A1", "amy", "email")),
    "published": (PlanFact("e", "published", _at(1), "t", "p", definition={"version": 1, "rate": "0.1"}),
                  PlanFact("e", "published", _at(1), "t", "p", definition={"version": 2, "rate": "0.2"})),
    "assigned": (PlanFact("e", "assigned", _at(1), "t", "p", scope="company", effective_from=date(2017, 1, 1)),
                 PlanFact("e", "assigned", _at(1), "t", "p", scope="company", effective_from=date(2017, 1, 1),
                          effective_to=date(2018, 1, 1))),
    "published then assigned": (PlanFact("e", "published", _at(1), "t", "p", definition={"version": 1}),
                                PlanFact("e", "assigned", _at(1), "t", "p", scope="company",
                                         effective_from=date(2017, 1, 1))),
    "closed": (PeriodFact("e", _at(1), "t", "2017-Q1"), PeriodFact("e", _at(2), "t", "2017-Q1")),
}


@pytest.mark.parametrize("kind", REUSED)
def test_an_event_id_reused_for_other_content_is_refused_naming_the_event_id(kind):
    first, other = REUSED[kind]
    ledger = Ledger(env=CACHED)
    assert ledger.record([first]) == 1
    assert ledger.record([first]) == 0  # the same fact again: a no-op
    with pytest.raises(FactRefused) as caught:
        ledger.record([other])
    assert caught.value.field == "event_id" and "'e'" in caught.value.reason


def sqlite_ledger(path) -> Ledger:
    return Ledger(env={**CACHED, "PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})


def test_a_batch_that_loses_the_race_to_another_writer_again_and_again_lands_once(tmp_path, monkeypatch):
    """Two writers of one SQLite ledger: each time the first is about to save D1, the second
    records D1's next fact first, twice; the first's batch is read again and retried until
    it lands, on top of both."""
    first, second = sqlite_ledger(tmp_path / "ledger.db"), sqlite_ledger(tmp_path / "ledger.db")
    first.record([won("e1", "D1", "5")])
    racing = [won("r1", "D1", "6"), won("r2", "D1", "7")]
    real_save = first.save

    def save_after_the_other_writer(*aggregates):
        if racing:
            second.record([racing.pop(0)])
        return real_save(*aggregates)

    monkeypatch.setattr(first, "save", save_after_the_other_writer)
    assert first.record([won("e2", "D1", "8")]) == 1
    assert sorted(sqlite_ledger(tmp_path / "ledger.db").deal("D1").applied) == ["e1", "e2", "r1", "r2"]
