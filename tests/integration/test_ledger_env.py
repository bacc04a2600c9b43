"""The PostgreSQL ledger is configured by Tally's settings only: stray library variables change nothing."""
import pytest

from tally.bootstrap import open_ledger


@pytest.mark.parametrize("stray", ["POSTGRES_ENABLE_DB_FUNCTIONS", "TALLY_POSTGRES_ENABLE_DB_FUNCTIONS"])
def test_a_stray_variable_cannot_switch_the_ledgers_database_functions_on(server_settings, monkeypatch, stray):
    monkeypatch.setenv(stray, "y")
    ledger = open_ledger(server_settings)
    assert ledger.recorder.datastore.enable_db_functions is False


def test_the_ledger_lives_in_the_settings_schema_whatever_the_library_variables_say(server_settings, monkeypatch):
    monkeypatch.setenv("TALLY_POSTGRES_SCHEMA", "public")
    ledger = open_ledger(server_settings)
    assert ledger.recorder.datastore.schema == server_settings.postgres_schema
