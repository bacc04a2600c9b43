import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests.e2e.expected import EXPORT

TALLY = [sys.executable, "-m", "tally.cli"]


def run_tally(*args: str, state: Path, timeout: float = 300) -> bytes:
    env = {**os.environ, "TALLY_PORT": "0"}
    done = subprocess.run([*TALLY, *args, "--state", str(state)], capture_output=True, env=env,
                          timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.fixture(scope="session")
def export_dir() -> Path:
    assert (EXPORT / "sales_pipeline.csv").is_file(), f"the CRM export is not at {EXPORT}"
    return EXPORT


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory, export_dir) -> tuple[Path, dict]:
    """One clean `tally demo --once --json` over the export, shared by the read-only tests."""
    state = tmp_path_factory.mktemp("clean")
    out = run_tally("demo", "--once", "--json", "--data", str(export_dir), state=state)
    return state, orjson.loads(out)
