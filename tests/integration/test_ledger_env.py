"""The PostgreSQL ledger is configured by Tally's settings only: stray library variables change nothing."""
import threading

import pytest

from tally.bootstrap import open_ledger
from tally.distributed import open_stores


@pytest.mark.parametrize("stray", ["POSTGRES_ENABLE_DB_FUNCTIONS", "TALLY_POSTGRES_ENABLE_DB_FUNCTIONS"])
def test_a_stray_variable_cannot_switch_the_ledgers_database_functions_on(server_settings, monkeypatch, stray):
    monkeypatch.setenv(stray, "y")
    ledger = open_ledger(server_settings)
    assert ledger.recorder.datastore.enable_db_functions is False


def test_the_ledger_lives_in_the_settings_schema_whatever_the_library_variables_say(server_settings, monkeypatch):
    monkeypatch.setenv("TALLY_POSTGRES_SCHEMA", "public")
    ledger = open_ledger(server_settings)
    assert ledger.recorder.datastore.schema == server_settings.postgres_schema


def test_processes_starting_together_on_a_new_schema_all_get_the_ledger_and_its_views(server_settings):
    """A worker, `tally publish` and `tally project` may start at the same moment on an empty
    schema; concurrent CREATE ... IF NOT EXISTS can fail in PostgreSQL, so they take turns."""
    starters = 6
    gate = threading.Barrier(starters)
    failures: list[BaseException] = []

    def start(n: int) -> None:
        gate.wait()
        try:
            if n % 2:
                ledger = open_ledger(server_settings)  # kept: a dropped ledger closes its pool
                ledger.recorder.max_notification_id()
            else:
                open_stores(server_settings).durable.position()
        except BaseException as error:  # collected: a thread's exception would vanish
            failures.append(error)

    threads = [threading.Thread(target=start, args=(n,)) for n in range(starters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
