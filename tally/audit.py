"""`tally replay`: rebuild the views from the ledger beside the live ones, diff, maybe swap.

Embedded views are rebuilt into a scratch SQLite file. The stores `tally project` keeps
(PostgreSQL views, Redis boards) are rebuilt into a scratch PostgreSQL schema and Redis
prefix, each up to the live store's own position (a store that lags the ledger is not a
difference), and the scratch namespace is dropped afterwards, whatever happened.
"""
import os
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from tempfile import TemporaryDirectory

from projections.audit import differences
from projections.postgres_store import PostgresViewStore
from projections.projector import Projector
from projections.redis_store import RedisViewStore
from projections.sqlite_store import SqliteViewStore
from projections.views import ViewStore
from tally.bootstrap import Embedded, embedded, open_ledger, scoring_rules
from tally.distributed import open_stores
from tally.servers import drop_prefix, drop_schema
from tally.settings import Settings, SettingsError

__all__ = ["Replay", "replay", "replay_state", "replay_servers"]


@dataclass
class Replay:
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was rebuilt where, for the operator


def replay(settings: Settings, *, apply: bool) -> Replay:
    """Every configured store against a rebuild from the ledger."""
    if apply and not settings.embedded:
        raise SettingsError("--apply replaces embedded views only; to rebuild the PostgreSQL views or "
                            "Redis boards, stop `tally project`, drop their schema or prefix and start it again")
    result = Replay()
    if settings.views == "sqlite":
        result.differences += replay_state(embedded(settings, create=False), apply=apply)
        result.notes.append(f"SQLite views under {settings.state}: rebuilt beside them, "
                            + ("and the rebuild replaced them" if apply else "then removed"))
    if not settings.embedded:
        servers = replay_servers(settings)
        result.differences += servers.differences
        result.notes += servers.notes
    return result


def replay_state(app: Embedded, *, apply: bool) -> list[str]:
    """The live SQLite views against a rebuild up to their own position (a projector may be
    running); --apply needs the state's projector lock, so no running demo writes meanwhile."""
    if apply and not app.lock.try_acquire():
        raise SettingsError(f"{app.settings.state} is projected by {app.lock.holder()}: stop it first")
    path = app.settings.state / "views-replay.db"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    rebuilt = SqliteViewStore(path)
    Projector(app.ledger, rebuilt, app.rules, notify=False).catch_up(until=app.views.position())
    found = differences(app.views, rebuilt)
    rebuilt.close()
    if apply:
        live = app.settings.state / "views.db"
        app.views.close()
        for stale in (live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")):
            stale.unlink(missing_ok=True)
        os.replace(path, live)
    else:
        path.unlink()
    return found


def replay_servers(settings: Settings) -> Replay:
    tag = f"replay_{uuid.uuid4().hex[:12]}"
    ledger, rules = open_ledger(settings), scoring_rules(settings)
    live = open_stores(settings).projected()
    result = Replay()
    with TemporaryDirectory() as state:
        scratch = replace(settings, state=Path(state), postgres_schema=tag, redis_prefix=f"{settings.redis_prefix}:{tag}")
        rebuilt: list[ViewStore] = []
        try:
            rebuilt = open_stores(scratch).projected()
            for kept, fresh in zip(live, rebuilt):
                position = kept.position()
                Projector(ledger, fresh, rules, notify=False).catch_up(until=position)
                name = type(kept).__name__
                result.differences += [f"{name}: {line}" for line in differences(kept, fresh)]
                result.notes.append(f"{name} at position {position} of {ledger.recorder.max_notification_id() or 0}: "
                                    f"rebuilt in {_where(fresh, scratch)}, dropped afterwards")
        finally:
            for store in rebuilt:
                if isinstance(store, PostgresViewStore):
                    store.datastore.close()  # its pool would hold the schema's tables open
            if settings.views == "postgres":
                drop_schema(scratch)
            if settings.boards == "redis":
                drop_prefix(scratch)
    return result


def _where(store: ViewStore, scratch: Settings) -> str:
    if isinstance(store, RedisViewStore):
        return f"Redis prefix {{{scratch.redis_prefix}}}"
    return f"PostgreSQL schema {scratch.postgres_schema}"
