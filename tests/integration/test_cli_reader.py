"""Reading commands over distributed views that `tally project` has not filled yet."""
from click.testing import CliRunner

from tally.cli import main
from tally.settings import Settings
from tests.conftest import settings_env


def test_a_board_over_views_never_projected_says_tally_project_fills_them(server_settings: Settings) -> None:
    result = CliRunner().invoke(main, ["board", "revenue"], env=settings_env(server_settings))
    assert (result.exit_code, result.stderr.count("`tally project` fills it")) == (0, 2)  # the views and the boards
