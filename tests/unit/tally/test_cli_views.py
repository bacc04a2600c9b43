"""The reading commands' arguments: refused by name, never a traceback."""
import pytest

from tests.helpers import deal, demo_plan
from tests.unit.tally.states import state, tally


@pytest.mark.parametrize("quarter", ["0000-Q1", "9999-Q4", "1899-Q4", "2101-Q1"])
def test_a_statement_quarter_outside_the_ledgers_years_is_a_usage_error_naming_it(tmp_path, quarter):
    state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100"))
    result = tally(tmp_path, "statement", "amy", quarter)
    assert (result.exit_code, result.exception.__class__, f"'{quarter}' is outside the years 1900-2100"
            in result.output) == (2, SystemExit, True)
