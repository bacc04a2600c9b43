"""Builds the embedded mode: SQLite ledger and views under the state directory."""
from dataclasses import dataclass

from domain.ledger import Ledger
from projections.changefeed import MemoryChangeFeed
from projections.projector import Projector
from projections.reader import Reader
from projections.scoring import Rules
from projections.sqlite_store import SqliteViewStore
from streams.deadletter import SqliteDeadLetters
from streams.ingest import Door
from tally.settings import Settings

__all__ = ["Embedded", "embedded"]


@dataclass
class Embedded:
    settings: Settings
    ledger: Ledger
    door: Door
    views: SqliteViewStore
    reader: Reader
    feed: MemoryChangeFeed
    rules: Rules

    def projector(self) -> Projector:
        return Projector(self.ledger, self.views, self.rules, feed=self.feed)


def embedded(settings: Settings) -> Embedded:
    settings.state.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(env={
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(settings.state / "ledger.db"),
        "AGGREGATE_CACHE_MAXSIZE": "20000",
        "AGGREGATE_CACHE_FASTFORWARD": "n",
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
    })
    views = SqliteViewStore(settings.state / "views.db")
    rules = Rules(tz=settings.tz, points=settings.activity_points, big_deal=settings.big_deal)
    door = Door(SqliteDeadLetters(settings.state / "dead_letters.db"),
                tz=settings.tz, currency=settings.currency)
    return Embedded(settings, ledger, door, views, Reader(views), MemoryChangeFeed(), rules)
