"""The export on PostgreSQL (ledger, durable views) and Redis (boards, feed) gives the embedded numbers."""
import subprocess
from decimal import Decimal

import orjson

from projections.sqlite_store import SqliteViewStore
from tally.bootstrap import open_ledger, scoring_rules
from tally.distributed import open_stores
from tally.runner import Lane
from tests.conftest import settings_env
from tests.e2e.conftest import TALLY, run_tally
from tests.e2e.distributed import export_batches
from tests.helpers import view_dump


def test_the_export_on_postgres_and_redis_matches_the_embedded_run_and_rebuilds_exactly(
        server_settings, export_dir, clean_run):
    ledger, rules = open_ledger(server_settings), scoring_rules(server_settings)
    for batch in export_batches(export_dir):
        ledger.record(batch)
    stores = open_stores(server_settings)
    for store in stores.projected():
        Lane(ledger, store, rules).step()
    embedded = view_dump(SqliteViewStore(clean_run[0] / "views.db"))
    assert view_dump(stores.durable) == embedded
    assert view_dump(stores.boards) == embedded
    assert stores.reader().won_totals() == (4238, Decimal("10005534"))

    for command in (["board", "revenue", "--window", "2017-Q2", "--scope", "region:West"],
                    ["statement", "Darcel Schlecht", "2017-Q4"], ["milestones", "--scope", "manager:Cara Losch"]):
        configured = subprocess.run([*TALLY, *command, "--json"], env=settings_env(server_settings),
                                    capture_output=True, check=True, timeout=60).stdout
        assert orjson.loads(configured) == orjson.loads(run_tally(*command, "--json", state=clean_run[0]))

    rebuilt = open_stores(server_settings, name="rebuild").durable
    Lane(ledger, rebuilt, rules).step()
    assert view_dump(rebuilt) == view_dump(stores.durable)
    assert rebuilt.position() == stores.durable.position() == ledger.recorder.max_notification_id()

