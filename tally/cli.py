"""The `tally` command: feed events in, publish plans, audit, run the distributed processes;
reading commands are in cli_views."""
import logging
from pathlib import Path

import click

from tally import cli_views  # noqa: F401  (registers the reading commands)
from tally.cli_common import UserError, emit, main, open_state, settings, state_option
from tally.settings import SettingsError

__all__ = ["main"]

_SHOWN = 50  # differences printed by `tally replay`
_EXPORT = "../shared/data/crm-sales-opportunities"  # beside the checkout, where the README puts it


@main.command()
@state_option
@click.option("--data", "data", default=None, show_default=_EXPORT, metavar="DIR",
              help="The CRM Sales Opportunities export to ingest; only the default, when absent, "
                   "falls back to a synthetic feed.")
@click.option("--once", is_flag=True, help="Ingest as fast as possible, serve nothing, exit.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary when done.")
@click.option("--speed", type=click.FloatRange(min=0), default=250.0, show_default=True,
              help="Events per second of the live feed (0 = as fast as possible).")
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the synthetic feed.")
def demo(state: str | None, data: str | None, once: bool, as_json: bool, speed: float, seed: int) -> None:
    """Ingest a real CRM export as a live feed and serve the TV leaderboard."""
    from tally.demo import run_demo

    if data is not None and not Path(data).is_dir():  # a mistyped path must not fill the ledger with made-up deals
        raise click.BadParameter(f"{data!r} is not a directory (the synthetic feed runs only when --data is "
                                 "not given)", param_hint="--data")
    run_demo(open_state(state, create=True), Path(data or _EXPORT), once=once, as_json=as_json,
             speed=None if once or speed <= 0 else speed, seed=seed)


@main.command()
@state_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def ingest(state: str | None, file: Path, as_json: bool) -> None:
    """Ingest a JSON-lines file of inbound events (bad lines are dead-lettered)."""
    from tally.demo import ingest_jsonl, show

    report = ingest_jsonl(open_state(state, create=True), file)
    emit(report) if as_json else show(report)


@main.group()
def plan() -> None:
    """Commission plans in the ledger."""


@plan.command("publish")
@state_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def plan_publish(state: str | None, file: Path) -> None:
    """Publish a plan file (TOML) and its assignments, all or nothing; an edited file becomes a new version."""
    from tally.plan_files import PlanFileError
    from tally.plan_publish import publish_plan

    app = open_state(state, create=True)
    try:
        published, new, projector = publish_plan(app, file)
    except PlanFileError as error:
        raise UserError(str(error)) from None
    what = f"{file}: plan {published['plan_id']} version {published['version']}"
    if new == 0:
        click.echo(f"{what}: nothing new (this version and its assignments are already in the ledger)")
        return
    click.echo(f"{what}: {new} new fact(s)" + (f"; {projector} projects them" if projector else ""))


@main.command()
@state_option
@click.option("--apply", "apply", is_flag=True, help="Replace the live views with the rebuild.")
def replay(state: str | None, apply: bool) -> None:
    """Rebuild every projection from the ledger into a fresh store and diff it with the live one.

    Distributed stores (TALLY_VIEWS=postgres, TALLY_BOARDS=redis) are rebuilt into a scratch
    PostgreSQL schema and Redis prefix, dropped afterwards. With --apply the rebuild replaces
    the live embedded views (after changing TALLY_BIG_DEAL or TALLY_ACTIVITY_POINTS, say);
    stop any running demo first. Rebuilds push nothing.
    """
    from tally.audit import StateBusy, replay as rebuild

    try:
        result = rebuild(settings(state), apply=apply)
    except SettingsError as error:
        raise UserError(str(error)) from None
    except StateBusy as error:
        raise click.ClickException(str(error)) from None
    for line in result.notes:
        click.echo(line, err=True)
    for line in result.differences[:_SHOWN]:
        click.echo(line)
    for line in result.lags:
        click.echo(line)
    shown = f" (the first {_SHOWN} shown)" if len(result.differences) > _SHOWN else ""
    click.echo(f"{len(result.differences)} difference(s) between the live views and a rebuild from the ledger"
               + shown + ("; live views replaced" if apply else ""))
    if result.differences and not apply:
        raise SystemExit(1)


@main.command()
@state_option
def worker(state: str | None) -> None:
    """Consume the Kafka topics ($TALLY_KAFKA) into the ledger, one transaction per batch."""
    from tally.worker import run_worker

    run_worker(settings(state))


@main.command()
@state_option
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def publish(state: str | None, file: Path, as_json: bool) -> None:
    """Send a CRM export directory or a JSON-lines file of inbound events to the Kafka topics.

    A line over Kafka's message size limit is not sent (counted as refused, named on stderr)."""
    from aiokafka.errors import KafkaError

    from tally.demo import show
    from tally.plan_files import PlanFileError
    from tally.worker import publish_file

    config = settings(state)
    try:
        report = publish_file(config, file)
    except PlanFileError as error:
        raise UserError(str(error)) from None
    except KafkaError as error:
        raise click.ClickException(f"cannot publish to {config.kafka}: {error}") from None
    for unsent in report["unsent"]:
        place = " ".join(f"{k} {v}" for k, v in unsent.items() if k in ("line", "event"))
        click.echo(f"{file} {place}: not sent: {unsent['reason']}", err=True)
    emit(report) if as_json else show({k: v for k, v in report.items() if k not in ("refusals", "unsent")})


@main.command()
@state_option
def project(state: str | None) -> None:
    """Follow the ledger into the configured views until SIGTERM: the state's SQLite views
    (TALLY_VIEWS=sqlite, as the state's projector), PostgreSQL views, Redis boards."""
    from tally.bootstrap import open_ledger, scoring_rules
    from tally.distributed import open_stores
    from tally.runner import Lane, run_until_stopped

    config = settings(state)
    ledger, rules = open_ledger(config), scoring_rules(config)
    lanes = [Lane(ledger, store, rules) for store in open_stores(config).projected()]
    if config.views == "sqlite":
        app = open_state(state, create=True)
        lanes.insert(0, Lane(ledger, app.views, rules, lock=app.lock))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    run_until_stopped(lanes, poll_s=config.poll_s)


@main.command()
@state_option
def serve(state: str | None) -> None:
    """Serve the gateway over the distributed stores (needs TALLY_BOARDS=redis) until stopped."""
    from tally.serve import run_serve

    try:
        run_serve(settings(state))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


if __name__ == "__main__":
    main()
