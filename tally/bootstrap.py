"""Builds the embedded mode: SQLite ledger and views under the state directory."""
from dataclasses import dataclass

import orjson

from domain.ledger import Ledger
from projections.changefeed import MemoryChangeFeed
from projections.projector import Projector
from projections.reader import Reader
from projections.scoring import Rules
from projections.sqlite_store import SqliteViewStore
from streams.deadletter import SqliteDeadLetters
from streams.ingest import Door
from tally.settings import Settings, SettingsError

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


def embedded(settings: Settings, *, create: bool = True) -> Embedded:
    """The embedded mode over a state directory; `create=False` for commands that only read."""
    if not create and not (settings.state / "ledger.db").exists():
        raise SettingsError(f"no Tally state at {settings.state}: run `tally demo` first, or pass --state DIR")
    settings.state.mkdir(parents=True, exist_ok=True)
    _pin(settings)
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


def _pin(settings: Settings) -> None:
    """A state keeps the currency and time zone it was made with: changing either under an
    existing ledger would silently mix money or move facts between periods."""
    pinned = {"currency": settings.currency, "tz": str(settings.tz)}
    path = settings.state / "tally.json"
    if not path.exists():
        path.write_bytes(orjson.dumps(pinned))
        return
    made_with = orjson.loads(path.read_bytes())
    for key, name in (("currency", "TALLY_CURRENCY"), ("tz", "TALLY_TZ")):
        if made_with.get(key) != pinned[key]:
            raise SettingsError(f"{settings.state} was made with {name}={made_with.get(key)}, not "
                                f"{pinned[key]}: use another --state, or the same setting")
