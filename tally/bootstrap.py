"""Builds the embedded mode: SQLite views under the state directory, the ledger of TALLY_LEDGER."""
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import orjson
from eventsourcing.persistence import PersistenceError

from domain.ledger import Ledger
from projections.changefeed import MemoryChangeFeed
from projections.projector import Projector
from projections.reader import Reader
from projections.scoring import Rules
from projections.sqlite_store import SqliteViewStore
from streams.deadletter import SqliteDeadLetters
from streams.ingest import Door
from streams.writer_turns import FactWriter, WriterTurns
from tally.projector_lock import ProjectorLock
from tally.settings import Settings, SettingsError

T = TypeVar("T")

__all__ = ["Embedded", "embedded", "fact_writer", "make_state_dir", "open_ledger", "scoring_rules"]


@dataclass
class Embedded:
    settings: Settings
    ledger: Ledger
    door: Door
    views: SqliteViewStore
    reader: Reader
    feed: MemoryChangeFeed
    rules: Rules
    lock: ProjectorLock
    writer: FactWriter  # every batch into the ledger goes through it (turns on a SQLite ledger)

    def projector(self) -> Projector | None:
        """This process's projector of the views, or None while another process is it."""
        if not self.lock.try_acquire():
            return None
        return Projector.resume(self.ledger, self.views, self.rules, feed=self.feed)


def embedded(settings: Settings, *, create: bool = True) -> Embedded:
    """The embedded mode over a state directory; `create=False` for commands that only read."""
    if not create and not settings.state.is_dir():
        raise SettingsError(f"no Tally state at {settings.state}: run `tally demo` first, or pass --state DIR")
    make_state_dir(settings)
    state = settings.state
    _opened(state / "tally.json", lambda: _pin(settings))
    sqlite_ledger = settings.ledger == "sqlite"  # PostgreSQL says for itself why it cannot be reached
    ledger = _opened(state / "ledger.db", lambda: open_ledger(settings)) if sqlite_ledger else open_ledger(settings)
    views = _opened(state / "views.db", lambda: SqliteViewStore(state / "views.db"))
    rules = scoring_rules(settings)
    door = Door(_opened(state / "dead_letters.db", lambda: SqliteDeadLetters(state / "dead_letters.db")),
                tz=settings.tz, currency=settings.currency)
    return Embedded(settings, ledger, door, views, Reader(views), MemoryChangeFeed(), rules,
                    ProjectorLock(settings.state), fact_writer(settings, ledger))


def _opened(path: Path, open_file: Callable[[], T]) -> T:
    """What `open_file` opens; a state file that cannot be opened (a directory where a database
    should be, a damaged file) is a SettingsError naming it, not a traceback."""
    try:
        return open_file()
    except SettingsError:
        raise
    except (OSError, ValueError, sqlite3.Error, PersistenceError) as error:
        raise SettingsError(f"cannot open {path}: {error}") from None


def fact_writer(settings: Settings, ledger: Ledger) -> FactWriter:
    """Writers of a state's SQLite ledger take turns per batch; PostgreSQL serialises writers itself."""
    return ledger if settings.ledger == "postgres" else WriterTurns(ledger, settings.state / "ledger-writer.lock")


def make_state_dir(settings: Settings) -> None:
    """The state directory, made when missing; a path that cannot be one (a file, a directory
    without write permission) is a SettingsError naming it, not a traceback."""
    try:
        settings.state.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        why = "it is not a directory" if settings.state.exists() else (error.strerror or str(error)).lower()
        raise SettingsError(f"cannot use {settings.state} as the state directory: {why}") from None


def open_ledger(settings: Settings) -> Ledger:
    """The ledger of TALLY_LEDGER: SQLite under the state directory, or PostgreSQL."""
    if settings.ledger == "postgres":
        from tally.servers import postgres_env, schema_turn

        store = {"PERSISTENCE_MODULE": "eventsourcing.postgres", **postgres_env(settings)}
        with schema_turn(settings):
            return _ledger(store)
    make_state_dir(settings)
    return _ledger({"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(settings.state / "ledger.db")})


def _ledger(store: dict[str, str]) -> Ledger:
    """The ledger over `store`, with its aggregate cache (creating it makes its tables)."""
    return Ledger(env=_pinned({**store, "AGGREGATE_CACHE_MAXSIZE": "20000", "AGGREGATE_CACHE_FASTFORWARD": "n",
                               "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}))


def _pinned(env: dict[str, str]) -> dict[str, str]:
    """The library merges os.environ under `env` and prefers `TALLY_<KEY>` to `<KEY>`: giving
    both spellings keeps a stray variable (POSTGRES_ENABLE_DB_FUNCTIONS, say) from overriding."""
    return {**env, **{f"{Ledger.name.upper()}_{key}": value for key, value in env.items()}}


def scoring_rules(settings: Settings) -> Rules:
    return Rules(tz=settings.tz, points=settings.activity_points, big_deal=settings.big_deal)


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
