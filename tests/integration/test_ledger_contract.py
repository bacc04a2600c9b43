"""One suite, every ledger store: SQLite and PostgreSQL, opened as the commands open them.

What is read back is read by a second ledger (a cold cache, as a restarted process), so it
is what the store holds, not what the writer remembers.
"""
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import timezone

import psycopg
import pytest
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import PersistenceError
from psycopg.sql import SQL, Identifier

from domain.exceptions import FactRefused
from domain.facts import Fact
from domain.ledger import Ledger
from streams.deadletter import MemoryDeadLetters
from streams.ingest import Door
from tally.bootstrap import open_ledger
from tally.settings import Settings
from tests.helpers import activity, deal, ledger_records, rep


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request, tmp_path) -> Settings:
    if request.param == "postgres":
        return request.getfixturevalue("server_settings")
    return Settings.from_env(state=str(tmp_path / "state"))


@pytest.fixture
def reopen(settings) -> Callable[[], Ledger]:
    return lambda: open_ledger(settings)


def facts(*raws: dict) -> list[Fact]:
    door = Door(MemoryDeadLetters(), tz=timezone.utc, currency="USD")
    admitted = door.admit(raws)
    assert len(admitted) == len(raws)
    return admitted


BATCH = facts(rep("amy", "Mo", "West"), deal("opened", "D1", "2017-01-02"),
              deal("won", "D1", "2017-02-03", amount="1200.50"), activity(1, "amy", "call", "2017-01-05"))


def test_a_batch_delivered_again_is_a_no_op_for_the_writer_and_for_a_restarted_one(reopen):
    writer = reopen()
    assert writer.record(BATCH) == 4
    held = len(ledger_records(writer))
    assert writer.record(BATCH) == 0
    assert reopen().record(BATCH) == 0
    assert len(ledger_records(reopen())) == held


def test_an_event_id_reused_with_other_content_is_refused_and_changes_nothing(reopen):
    reopen().record(BATCH)
    other = facts(deal("won", "D1", "2017-02-03", amount="99"))
    refused: list[FactRefused] = []
    assert reopen().record(other, lambda fact, refusal: refused.append(refusal)) == 0
    assert [(r.field, r.reason) for r in refused] == [("event_id", "'t:D1:won' was already recorded with other content")]
    assert str(reopen().deal("D1").outcome["amount"]) == "1200.50"


def test_a_deals_facts_arriving_in_any_order_converge_to_the_same_deal(reopen):
    timeline = [("opened", "2017-01-02", None), ("won", "2017-02-03", "10"), ("lost", "2017-03-04", None)]
    ledger = reopen()
    for kind, day, amount in timeline:
        ledger.record(facts(deal(kind, "D1", day, amount=amount)))
    for kind, day, amount in reversed(timeline):
        ledger.record(facts(deal(kind, "D2", day, amount=amount)))
    in_order, reversed_order = reopen().deal("D1").outcome, reopen().deal("D2").outcome
    assert reversed_order == in_order
    assert (in_order["status"], str(in_order["amount"]), in_order["won_at"]) == ("lost", "10.00", None)


def refuse_activity_records(settings: Settings, ledger: Ledger) -> None:
    """A trigger that makes the store refuse any activity record: a failure inside the batch's
    transaction, after the records before it were written."""
    table = ledger.recorder.events_table_name
    if settings.ledger == "sqlite":
        with closing(sqlite3.connect(settings.state / "ledger.db")) as conn, conn:
            conn.execute(f"CREATE TRIGGER refuse BEFORE INSERT ON {table} WHEN NEW.topic LIKE '%Activity%' "
                         "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        return
    schema = Identifier(settings.postgres_schema)
    with psycopg.connect(settings.postgres_dsn, autocommit=True) as conn:
        conn.execute(SQL("CREATE FUNCTION {0}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "IF NEW.topic LIKE '%Activity%' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
                         "RETURN NEW; END $$").format(schema))
        conn.execute(SQL("CREATE TRIGGER refuse BEFORE INSERT ON {0}.{1} FOR EACH ROW EXECUTE FUNCTION {0}.refuse()")
                     .format(schema, Identifier(table)))


def test_a_batch_the_store_fails_to_write_leaves_nothing_behind(settings, reopen):
    ledger = reopen()
    ledger.record(facts(deal("opened", "D1", "2017-01-02")))
    held = len(ledger_records(ledger))
    refuse_activity_records(settings, ledger)
    batch = facts(deal("won", "D1", "2017-02-03", amount="10"), deal("opened", "D9", "2017-01-03"),
                  activity(1, "amy", "call", "2017-01-05"))
    with pytest.raises(PersistenceError, match="refused by the test"):
        ledger.record(batch)
    after = reopen()
    assert len(ledger_records(after)) == held
    assert after.deal("D1").outcome["status"] == "open"
    with pytest.raises(AggregateNotFoundError):
        after.deal("D9")
