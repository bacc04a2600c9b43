"""`tally replay`: rebuild the views from the ledger beside the live ones, diff, maybe swap.

The live views are read as a snapshot (rows and position as one commit left them), then
the rebuild goes up to exactly that position: a projector writing meanwhile (a serving
demo, `tally project`) is no difference. Views that lag the ledger are said so, with how
many facts they have not projected yet. Embedded views are rebuilt into a scratch SQLite
file; the stores `tally project` keeps (PostgreSQL views, Redis boards) into a scratch
PostgreSQL schema and Redis prefix, dropped afterwards, whatever happened.
"""
import os
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from tempfile import TemporaryDirectory

from eventsourcing.application import Application

from projections.audit import differences
from projections.postgres_store import PostgresViewStore
from projections.projector import Projector, unprojected
from projections.redis_store import RedisViewStore
from projections.scoring import Rules
from projections.sqlite_store import SqliteViewStore
from projections.views import Snapshot, ViewStore
from tally.bootstrap import Embedded, embedded, open_ledger, scoring_rules
from tally.distributed import open_stores
from tally.servers import drop_prefix, drop_schema
from tally.settings import Settings, SettingsError

__all__ = ["Replay", "StateBusy", "replay", "replay_state", "replay_servers"]


class StateBusy(Exception):
    """--apply needs the state's projector lock, and another process holds it."""


@dataclass
class Replay:
    differences: list[str] = field(default_factory=list)
    lags: list[str] = field(default_factory=list)  # views behind the ledger, with how far
    notes: list[str] = field(default_factory=list)  # what was rebuilt where, for the operator


def replay(settings: Settings, *, apply: bool) -> Replay:
    """Every configured store against a rebuild from the ledger."""
    if apply and not settings.embedded:
        raise SettingsError("--apply replaces embedded views only; to rebuild the PostgreSQL views or "
                            "Redis boards, stop `tally project`, drop their schema or prefix and start it again")
    result = Replay()
    if settings.views == "sqlite":
        replay_state(embedded(settings, create=False), apply=apply, into=result)
    if not settings.embedded:
        replay_servers(settings, into=result)
    return result


def replay_state(app: Embedded, *, apply: bool, into: Replay) -> None:
    """The live SQLite views against a rebuild up to their own position; --apply needs the
    state's projector lock, so no projector writes while the rebuild replaces the views."""
    if apply and not app.lock.try_acquire():
        raise StateBusy(f"{app.settings.state} is projected by {app.lock.holder()}: stop it first")
    path = app.settings.state / "views-replay.db"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    rebuilt = SqliteViewStore(path)
    _compare("SQLite views", app.views.snapshot(), rebuilt, app.ledger, app.rules, into, prefix="")
    rebuilt.close()
    into.notes.append(f"SQLite views under {app.settings.state}: rebuilt beside them, "
                      + ("and the rebuild replaced them" if apply else "then removed"))
    if apply:
        live = app.settings.state / "views.db"
        app.views.close()
        for stale in (live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")):
            stale.unlink(missing_ok=True)
        os.replace(path, live)
    else:
        path.unlink()


def replay_servers(settings: Settings, *, into: Replay) -> None:
    tag = f"replay_{uuid.uuid4().hex[:12]}"
    ledger, rules = open_ledger(settings), scoring_rules(settings)
    live = open_stores(settings).projected()
    with TemporaryDirectory() as state:
        scratch = replace(settings, state=Path(state), postgres_schema=tag, redis_prefix=f"{settings.redis_prefix}:{tag}")
        rebuilt: list[ViewStore] = []
        try:
            rebuilt = open_stores(scratch).projected()
            for kept, fresh in zip(live, rebuilt):
                name = type(kept).__name__
                _compare(name, kept.snapshot(), fresh, ledger, rules, into, prefix=f"{name}: ")
                into.notes.append(f"{name}: rebuilt in {_where(fresh, scratch)}, dropped afterwards")
        finally:
            for store in rebuilt:
                if isinstance(store, PostgresViewStore):
                    store.datastore.close()  # its pool would hold the schema's tables open
            if settings.views == "postgres":
                drop_schema(scratch)
            if settings.boards == "redis":
                drop_prefix(scratch)


def _compare(name: str, live: Snapshot, fresh: ViewStore, ledger: Application, rules: Rules, into: Replay, *,
             prefix: str) -> None:
    """Rebuilds `fresh` up to the live snapshot's position and diffs the two."""
    Projector(ledger, fresh, rules, notify=False).catch_up(until=live.position)
    into.differences += [prefix + line for line in differences(live, fresh.snapshot())]
    head = ledger.recorder.max_notification_id() or 0
    behind = unprojected(ledger, live.position)
    into.notes.append(f"{name} at position {live.position} of the ledger's {head}")
    if behind:
        into.lags.append(f"{name}: {behind} fact(s) in the ledger not yet projected (the views are at "
                         f"ledger record {live.position}, the ledger at {head}; records count more than facts)")


def _where(store: ViewStore, scratch: Settings) -> str:
    if isinstance(store, RedisViewStore):
        return f"Redis prefix {{{scratch.redis_prefix}}}"
    return f"PostgreSQL schema {scratch.postgres_schema}"
