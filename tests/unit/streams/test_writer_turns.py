"""Writers of one SQLite ledger take turns per batch and read what the others changed."""
import threading
from datetime import datetime, timezone
from decimal import Decimal

from domain.facts import DealFact
from domain.ledger import Ledger
from streams.writer_turns import WriterTurns

CACHED = {"AGGREGATE_CACHE_MAXSIZE": "100", "AGGREGATE_CACHE_FASTFORWARD": "n", "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}


def fact(kind: str, deal_id: str, day: int, amount: str | None = None) -> DealFact:
    return DealFact(f"t:{deal_id}:{kind}", kind, datetime(2017, 5, day, tzinfo=timezone.utc), "t", deal_id, "amy",
                    "USD", Decimal(amount) if amount else None)


def ledger(tmp_path) -> Ledger:
    return Ledger(env={**CACHED, "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                       "SQLITE_DBNAME": str(tmp_path / "ledger.db")})


def test_a_writer_waits_while_another_holds_the_turn(tmp_path):
    lock = tmp_path / "ledger-writer.lock"
    holder, writer = WriterTurns(ledger(tmp_path), lock), WriterTurns(ledger(tmp_path), lock)
    with holder.turn():
        waiting = threading.Thread(target=writer.record, args=([fact("opened", "D1", 1)],))
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive(), "the writer wrote during another writer's turn"
    waiting.join()
    assert ledger(tmp_path).deal("D1").outcome["status"] == "open"


def test_a_writer_reads_what_another_changed_since_its_turn_and_saves_once(tmp_path, monkeypatch):
    lock = tmp_path / "ledger-writer.lock"
    mine, theirs = ledger(tmp_path), ledger(tmp_path)
    me, other = WriterTurns(mine, lock), WriterTurns(theirs, lock)
    me.record([fact("opened", "D1", 1)])  # D1 is in my cache now
    other.record([fact("won", "D1", 2, "50")])  # ...and stale after this
    saves = []
    real_save = mine.save
    monkeypatch.setattr(mine, "save", lambda *aggregates: saves.append(len(aggregates)) or real_save(*aggregates))
    assert me.record([fact("lost", "D1", 3)]) == 1
    assert saves == [1], "the stale copy clashed and the batch was saved again"
    assert ledger(tmp_path).deal("D1").outcome["status"] == "lost"
