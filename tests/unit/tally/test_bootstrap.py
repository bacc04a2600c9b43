"""The embedded state directory: a path that cannot be one is named, never a traceback."""
import pytest

from tally.bootstrap import embedded
from tally.settings import Settings, SettingsError
from tests.unit.tally.states import tally


def test_a_state_path_that_is_a_file_is_a_settings_error_saying_so(tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("not a state")
    with pytest.raises(SettingsError, match=f"^cannot use {file} as the state directory: it is not a directory$"):
        embedded(Settings.from_env(state=str(file)))


def test_a_state_under_a_file_is_a_settings_error_saying_so(tmp_path):
    (tmp_path / "notes.txt").write_text("not a state")
    under = tmp_path / "notes.txt" / "state"
    with pytest.raises(SettingsError, match=f"^cannot use {under} as the state directory: not a directory$"):
        embedded(Settings.from_env(state=str(under)))


def test_tally_ingest_into_a_file_says_so_in_one_line_as_a_usage_error(tmp_path):
    (tmp_path / "events.jsonl").write_text("{}\n")
    result = tally(tmp_path / "events.jsonl", "ingest", str(tmp_path / "events.jsonl"))
    assert (result.exit_code, result.output) == (
        2, f"Error: cannot use {tmp_path / 'events.jsonl'} as the state directory: it is not a directory\n")


def test_a_state_whose_ledger_is_not_a_database_names_the_file(tmp_path):
    (tmp_path / "ledger.db").write_text("not a database")
    with pytest.raises(SettingsError, match=f"^cannot open {tmp_path / 'ledger.db'}: file is not a database$"):
        embedded(Settings.from_env(state=str(tmp_path)))


def test_a_state_whose_views_file_is_a_directory_names_the_file(tmp_path):
    (tmp_path / "views.db").mkdir()
    with pytest.raises(SettingsError, match=f"^cannot open {tmp_path / 'views.db'}: unable to open database file$"):
        embedded(Settings.from_env(state=str(tmp_path)))


def test_a_damaged_pin_file_names_the_file(tmp_path):
    (tmp_path / "tally.json").write_text('{"tz":')
    with pytest.raises(SettingsError, match=f"^cannot open {tmp_path / 'tally.json'}: unexpected end of data"):
        embedded(Settings.from_env(state=str(tmp_path)))
