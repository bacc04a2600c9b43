"""The same facts in any order, delivered twice, or replayed, give the same numbers."""
import random
from pathlib import Path

from projections.memory_store import MemoryViewStore
from projections.projector import Projector
from projections.sqlite_store import SqliteViewStore
from streams.crm_export import read_export
from tally.bootstrap import embedded
from tally.plan_files import plan_events
from tally.settings import Settings
from tests.e2e.conftest import run_tally
from tests.helpers import view_dump


def ledger_size(state: Path) -> int:
    ledger = embedded(Settings.from_env(state=str(state))).ledger
    return ledger.recorder.max_notification_id() or 0


def test_ingesting_the_same_export_twice_changes_nothing(tmp_path, export_dir, clean_run):
    run_tally("demo", "--once", "--json", "--data", str(export_dir), state=tmp_path)
    size, views = ledger_size(tmp_path), view_dump(SqliteViewStore(tmp_path / "views.db"))
    again = run_tally("demo", "--once", "--json", "--data", str(export_dir), state=tmp_path)
    assert b'"events_ingested":0' in again
    assert ledger_size(tmp_path) == size
    assert view_dump(SqliteViewStore(tmp_path / "views.db")) == views
    assert views == view_dump(SqliteViewStore(clean_run[0] / "views.db"))


def test_a_shuffled_feed_gives_identical_boards_statements_and_milestones(tmp_path, export_dir, clean_run):
    app = embedded(Settings.from_env(state=str(tmp_path)))
    facts = app.door.admit(plan_events(app.settings.plan_file, app.ledger) + read_export(export_dir).events)
    random.Random(2017).shuffle(facts)
    projector = app.projector()
    for start in range(0, len(facts), 400):
        app.ledger.record(facts[start:start + 400])
        projector.catch_up()
    assert view_dump(app.views) == view_dump(SqliteViewStore(clean_run[0] / "views.db"))


def test_a_rebuild_from_zero_reproduces_the_live_views(clean_run):
    state, _ = clean_run
    app = embedded(Settings.from_env(state=str(state)))
    rebuilt = MemoryViewStore()
    Projector(app.ledger, rebuilt, app.rules).catch_up()
    assert view_dump(rebuilt) == view_dump(app.views)
    assert rebuilt.position() == app.views.position()
