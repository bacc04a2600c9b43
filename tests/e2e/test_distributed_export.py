"""The export through the distributed mode's real processes gives the embedded numbers:
`tally publish` -> Kafka -> `tally worker` (PostgreSQL ledger) -> `tally project`
(PostgreSQL views, Redis boards and change feed)."""
import signal
import subprocess
from decimal import Decimal

import orjson
import pytest

from projections.audit import unplaced
from projections.sqlite_store import SqliteViewStore
from tally.distributed import open_stores
from tally.settings import DEMO_PLAN
from tests.broker import kafka, kafka_run  # noqa: F401  (fixtures)
from tests.conftest import settings_env
from tests.e2e.conftest import TALLY, run_tally
from tests.e2e.distributed import ProjectProcess, wait_for
from tests.helpers import view_dump

EVENTS = 15548  # the demo plan's 2 and the export's 15,546


@pytest.fixture
def worker_settings(server_settings):
    """The worker writes the PostgreSQL ledger in this test's schema."""
    return server_settings


@pytest.fixture
def distributed_run(kafka_run, server_settings, export_dir, tmp_path):  # noqa: F811  (a fixture)
    """Worker and projection runner started, the plan and the export published, everything
    committed by the worker and projected; the stores of the run."""
    project = ProjectProcess(server_settings, tmp_path / "project.log").started()
    try:
        kafka_run.start_worker()
        assert kafka_run.publish(DEMO_PLAN)["published"] == 2
        assert kafka_run.publish(export_dir)["published"] == EVENTS - 2
        kafka_run.settled(EVENTS)
        stores = open_stores(server_settings)
        head = kafka_run.ledger_head()
        wait_for(lambda: all(s.position() == head for s in stores.projected()), what="the projections to catch up")
    finally:
        assert project.stop(signal.SIGTERM) == 0  # also when a step failed: no runner outlives the test
    return stores


def test_the_export_through_kafka_postgres_and_redis_reports_the_embedded_numbers(
        distributed_run, server_settings, clean_run):
    embedded = view_dump(SqliteViewStore(clean_run[0] / "views.db"))
    assert view_dump(distributed_run.durable) == embedded
    assert view_dump(distributed_run.boards) == embedded
    assert distributed_run.reader().won_totals() == (4238, Decimal("10005534"))
    for command in (["board", "revenue", "--window", "2017-Q2", "--scope", "region:West"],
                    ["statement", "Darcel Schlecht", "2017-Q4"], ["milestones", "--scope", "manager:Cara Losch"]):
        configured = subprocess.run([*TALLY, *command, "--json"], env=settings_env(server_settings),
                                    capture_output=True, check=True, timeout=60).stdout
        embedded_answer = orjson.loads(run_tally(*command, "--json", state=clean_run[0]))
        if command[0] == "statement":  # ledger positions follow Kafka's arrival order, not the demo's
            assert unplaced(orjson.loads(configured)) == unplaced(embedded_answer)
        else:
            assert orjson.loads(configured) == embedded_answer

