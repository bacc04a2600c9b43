"""`tally replay`: rebuild the views from the ledger beside the live ones, diff, maybe swap."""
import os

from projections.audit import differences
from projections.projector import Projector
from projections.sqlite_store import SqliteViewStore
from tally.bootstrap import Embedded

__all__ = ["replay_state"]


def replay_state(app: Embedded, *, apply: bool) -> list[str]:
    path = app.settings.state / "views-replay.db"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    rebuilt = SqliteViewStore(path)
    Projector(app.ledger, rebuilt, app.rules).catch_up()
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
