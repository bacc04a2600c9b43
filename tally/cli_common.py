"""What every `tally` command shares: the group, --state, settings errors, JSON output."""
import sys
from typing import Any

import click
import orjson

from projections.reader import Reader
from tally.bootstrap import Embedded, embedded
from tally.settings import Settings, SettingsError

__all__ = ["main", "state_option", "emit", "open_state", "settings", "reader", "UserError"]

state_option = click.option("--state", "state", default=None, metavar="DIR",
                            help="State directory (default $TALLY_STATE or ./var/tally).")


class UserError(click.ClickException):
    """Input the command cannot use (a bad plan file, an unknown rep): one line, exit code 2."""

    exit_code = 2


@click.group()
def main() -> None:
    """Tally: live, explainable, replayable sales scoring."""


def emit(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


def settings(state: str | None) -> Settings:
    try:
        return Settings.from_env(state=state)
    except SettingsError as error:
        raise UserError(str(error)) from None


def open_state(state: str | None, *, create: bool = False) -> Embedded:
    """The embedded mode over --state; reading commands refuse a state that does not exist."""
    try:
        return embedded(settings(state), create=create)
    except SettingsError as error:
        raise UserError(str(error)) from None


def reader(state: str | None) -> Reader:
    """The configured stores' reader: SQLite views, or PostgreSQL and Redis (TALLY_VIEWS, TALLY_BOARDS)."""
    config = settings(state)
    if config.embedded:
        return open_state(state).reader
    from tally.distributed import open_stores

    try:
        stores = open_stores(config)
        for store in stores.projected():
            if store.position() == 0:  # a ledger full of facts reads as empty boards and unknown reps
                click.echo(f"warning: {type(store).__name__} holds nothing yet: `tally project` fills it "
                           "from the ledger", err=True)
        return stores.reader()
    except SettingsError as error:  # a --state that cannot be a directory
        raise UserError(str(error)) from None
