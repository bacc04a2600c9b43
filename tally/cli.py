"""The `tally` command: run the demo, read boards, statements and milestones from a state dir."""
import logging
import sys
from pathlib import Path
from typing import Any

import click
import orjson

from domain.board import METRICS, Scope
from domain.periods import window_kind
from projections.reader import Reader
from tally.bootstrap import embedded
from tally.settings import Settings

__all__ = ["main"]

state_option = click.option("--state", "state", default=None, metavar="DIR",
                            help="State directory (default $TALLY_STATE or ./var/tally).")


def _reader(state: str | None) -> Reader:
    """The configured stores' reader: SQLite views, or PostgreSQL and Redis (TALLY_VIEWS, TALLY_BOARDS)."""
    settings = Settings.from_env(state=state)
    if settings.embedded:
        return embedded(settings).reader
    from tally.distributed import open_stores

    return open_stores(settings).reader()


def _emit(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


@click.group()
def main() -> None:
    """Tally: live, explainable, replayable sales scoring."""


@main.command()
@state_option
@click.option("--data", "data", default="../shared/data/crm-sales-opportunities", metavar="DIR",
              help="The CRM Sales Opportunities export to ingest.")
@click.option("--once", is_flag=True, help="Ingest as fast as possible, serve nothing, exit.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary when done.")
@click.option("--speed", type=float, default=250.0, show_default=True,
              help="Events per second of the live feed (0 = as fast as possible).")
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the synthetic feed.")
def demo(state: str | None, data: str, once: bool, as_json: bool, speed: float, seed: int) -> None:
    """Ingest a real CRM export as a live feed and serve the TV leaderboard."""
    from tally.demo import run_demo

    run_demo(Settings.from_env(state=state), Path(data), once=once, as_json=as_json,
             speed=None if once or speed <= 0 else speed, seed=seed)


@main.command()
@state_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def ingest(state: str | None, file: Path, as_json: bool) -> None:
    """Ingest a JSON-lines file of inbound events (bad lines are dead-lettered)."""
    from tally.demo import ingest_jsonl

    report = ingest_jsonl(embedded(Settings.from_env(state=state)), file)
    _emit(report) if as_json else click.echo(" ".join(f"{k}={v}" for k, v in report.items()))


@main.command()
@state_option
@click.argument("metric", type=click.Choice(METRICS))
@click.option("--window", default="all", show_default=True, help="all, 2017, 2017-Q2 or 2017-05.")
@click.option("--scope", default="company", show_default=True, help="company, region:NAME or manager:NAME.")
@click.option("--json", "as_json", is_flag=True)
def board(state: str | None, metric: str, window: str, scope: str, as_json: bool) -> None:
    """Print a leaderboard."""
    try:
        window_kind(window)
        parsed = Scope.parse(scope)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    rows = _reader(state).board(metric, window, parsed)
    if as_json:
        _emit([{"rank": r.rank, "rep": r.rep, "score": str(r.score)} for r in rows])
        return
    click.echo(f"{metric} · {window} · {parsed}")
    for r in rows:
        click.echo(f"{r.rank:>4}  {r.rep:<28} {r.score:>14}")


@main.command()
@state_option
@click.argument("rep")
@click.argument("quarter")
@click.option("--json", "as_json", is_flag=True)
def statement(state: str | None, rep: str, quarter: str, as_json: bool) -> None:
    """Print a rep's commission statement for a quarter (e.g. 2017-Q2)."""
    body = _reader(state).statement(rep, quarter)
    if body is None:
        raise click.ClickException(f"no statement for {rep!r} in {quarter}")
    if as_json:
        _emit(body)
        return
    click.echo(f"{rep} · {quarter} · plan {body['plan']} v{body['plan_version']} · quota {body['quota']}")
    for line in body["lines"]:
        click.echo(f"  {line['deal']:<10} {line['at'][:10]} credited {line['credited']:>10}  "
                   f"tier {line['tier']} @ {line['rate']:<5} on {line['base']:>10} = {line['commission']}")
    click.echo(f"  exact {body['exact']}  rounding {body['rounding']}  total {body['total']}")


@main.command()
@state_option
@click.option("--scope", default="company", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def milestones(state: str | None, scope: str, as_json: bool) -> None:
    """List milestones (fired and revoked) in business order."""
    rows = _reader(state).milestones(Scope.parse(scope))
    if as_json:
        _emit(rows)
        return
    for m in rows:
        click.echo(f"{m['at'][:10]}  {m['status']:<7} {m['kind']:<13} {m['rep']:<24} {m['deal_id']} {m['value']}")


@main.command("dead-letters")
@state_option
@click.option("--json", "as_json", is_flag=True)
def dead_letters(state: str | None, as_json: bool) -> None:
    """List refused events with the field and the reason."""
    letters = embedded(Settings.from_env(state=state)).door.dead_letters.all()
    if as_json:
        _emit([{"field": d.field, "reason": d.reason, "payload": d.payload} for d in letters])
        return
    for d in letters:
        click.echo(f"{d.field}: {d.reason}\n    {d.payload}")


@main.command()
@state_option
def worker(state: str | None) -> None:
    """Consume the Kafka topics ($TALLY_KAFKA) into the ledger, one transaction per batch."""
    from tally.worker import run_worker

    run_worker(Settings.from_env(state=state))


@main.command()
@state_option
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def publish(state: str | None, file: Path, as_json: bool) -> None:
    """Send a CRM export directory or a JSON-lines file of inbound events to the Kafka topics."""
    from tally.worker import publish_file

    report = publish_file(Settings.from_env(state=state), file)
    _emit(report) if as_json else click.echo(" ".join(
        f"{k}={v}" for k, v in report.items() if k != "refusals"))


@main.command()
@state_option
def project(state: str | None) -> None:
    """Follow the ledger into the configured PostgreSQL/Redis views until SIGTERM."""
    from tally.bootstrap import open_ledger, scoring_rules
    from tally.distributed import open_stores
    from tally.runner import Lane, run_until_stopped

    settings = Settings.from_env(state=state)
    stores = open_stores(settings).projected()
    if not stores:
        raise click.ClickException("nothing to project: set TALLY_VIEWS=postgres or TALLY_BOARDS=redis "
                                   "(embedded views are kept by the ingesting process)")
    ledger, rules = open_ledger(settings), scoring_rules(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    run_until_stopped([Lane(ledger, store, rules) for store in stores], poll_s=settings.poll_s)


@main.command()
@state_option
def serve(state: str | None) -> None:
    """Serve the gateway over the distributed stores (needs TALLY_BOARDS=redis) until stopped."""
    from tally.serve import run_serve

    try:
        run_serve(Settings.from_env(state=state))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


if __name__ == "__main__":
    main()
