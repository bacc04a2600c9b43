"""The `tally` command: feed events in, publish plans, audit; reading commands in cli_views."""
from pathlib import Path

import click

from tally import cli_views  # noqa: F401  (registers the reading commands)
from tally.cli_common import emit, main, open_state, settings, state_option

__all__ = ["main"]


@main.command()
@state_option
@click.option("--data", "data", default="../shared/data/crm-sales-opportunities", show_default=True,
              metavar="DIR", help="The CRM Sales Opportunities export to ingest.")
@click.option("--once", is_flag=True, help="Ingest as fast as possible, serve nothing, exit.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary when done.")
@click.option("--speed", type=float, default=250.0, show_default=True,
              help="Events per second of the live feed (0 = as fast as possible).")
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the synthetic feed.")
def demo(state: str | None, data: str, once: bool, as_json: bool, speed: float, seed: int) -> None:
    """Ingest a real CRM export as a live feed and serve the TV leaderboard."""
    from tally.demo import run_demo

    run_demo(open_state(state, create=True), Path(data), once=once, as_json=as_json,
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
    """Publish a plan file (TOML) and its assignments; an edited file becomes a new version."""
    from tally.pipeline import ingest as feed
    from tally.plan_files import plan_events

    app = open_state(state, create=True)
    events = plan_events(file, app.ledger)
    report = feed(app, events, batch_size=len(events))
    click.echo(f"{file}: plan {events[0]['plan_id']} version {events[0]['version']}, "
               f"{report.events_ingested} new fact(s), {report.refused} refused (see tally dead-letters)")


@main.command()
@state_option
@click.option("--apply", "apply", is_flag=True, help="Replace the live views with the rebuild.")
def replay(state: str | None, apply: bool) -> None:
    """Rebuild every projection from the ledger into a fresh store and diff it with the live one.

    With --apply the rebuild replaces the live views (after changing TALLY_BIG_DEAL or
    TALLY_ACTIVITY_POINTS, say); stop any running demo first. Rebuilds push nothing.
    """
    from tally.audit import replay_state

    differences = replay_state(open_state(state), apply=apply)
    for line in differences[:50]:
        click.echo(line)
    click.echo(f"{len(differences)} difference(s) between the live views and a rebuild from the ledger"
               + ("; live views replaced" if apply else ""))
    if differences and not apply:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
