"""Embedded states under a test's tmp_path, fed through the real pipeline, and the CLI over them."""
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from tally.bootstrap import Embedded, embedded
from tally.cli import main
from tally.pipeline import ingest_once
from tally.settings import Settings


def state(path: Path, *raws: dict[str, Any]) -> Embedded:
    app = embedded(Settings.from_env(state=str(path)))
    if raws:
        ingest_once(app, list(raws))
    return app


def tally(path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--state", str(path)])
