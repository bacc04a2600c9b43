"""The `tally` command group's own commands, as a user types them."""
from click.testing import CliRunner

from tally.cli import main


def test_demo_with_a_data_path_that_is_not_a_directory_exits_2_and_writes_no_state(tmp_path) -> None:
    result = CliRunner().invoke(main, ["demo", "--once", "--data", str(tmp_path / "typo"),
                                       "--state", str(tmp_path / "state")])
    assert (result.exit_code, "--data" in result.output, (tmp_path / "state").exists()) == (2, True, False)


def test_demo_with_a_negative_speed_is_a_usage_error_naming_the_option(tmp_path):
    done = CliRunner().invoke(main, ["demo", "--speed", "-5", "--state", str(tmp_path / "state")])
    assert (done.exit_code, "--speed" in done.output) == (2, True)
    assert not (tmp_path / "state").exists()
