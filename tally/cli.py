"""The `tally` command: run the demo, read boards, statements and milestones from a state dir."""
import sys
from pathlib import Path
from typing import Any

import click
import orjson

from domain.board import METRICS, Scope
from domain.periods import window_kind
from tally.bootstrap import embedded
from tally.pipeline import ingest
from tally.plan_files import plan_events
from tally.settings import Settings
from tally.statement_format import as_csv, as_text

__all__ = ["main"]

state_option = click.option("--state", "state", default=None, metavar="DIR",
                            help="State directory (default $TALLY_STATE or ./var/tally).")


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
    rows = embedded(Settings.from_env(state=state)).reader.board(metric, window, parsed)
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
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
def statement(state: str | None, rep: str, quarter: str, fmt: str, as_json: bool) -> None:
    """Print a rep's commission statement for a quarter (e.g. 2017-Q2), line by line."""
    body = embedded(Settings.from_env(state=state)).reader.statement(rep, quarter)
    if body is None:
        raise click.ClickException(f"no commission for {rep!r} in {quarter}: nothing credited (0.00)")
    fmt = "json" if as_json else fmt
    if fmt == "json":
        _emit(body)
    else:
        click.echo(as_csv(body) if fmt == "csv" else as_text(body), nl=fmt == "text")


@main.command()
@state_option
@click.argument("rep")
@click.option("--deal", "amount", required=True, help="Amount of the hypothetical deal, e.g. 25000.")
@click.option("--as-of", "as_of", default=None, help="Business date (YYYY-MM-DD); default: the latest in the ledger.")
@click.option("--json", "as_json", is_flag=True)
def estimate(state: str | None, rep: str, amount: str, as_of: str | None, as_json: bool) -> None:
    """What one more deal would pay, and which tier it lands in (writes nothing)."""
    from tally.what_if import what_if

    try:
        answer = what_if(embedded(Settings.from_env(state=state)), rep, amount, as_of)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    if as_json:
        _emit(answer)
        return
    click.echo(f"{rep} · {answer['period']} as of {answer['as_of'][:10]}: a deal of {answer['deal']} "
               f"pays {answer['pays']} (total {answer['total_before']} -> {answer['total_after']})")
    for line in answer["lines"]:
        click.echo(f"  tier {line['tier']} @ {line['rate']} on {line['base']} = {line['amount']}")


@main.group()
def plan() -> None:
    """Commission plans in the ledger."""


@plan.command("publish")
@state_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def plan_publish(state: str | None, file: Path) -> None:
    """Publish a plan file (TOML) and its assignments; an edited file becomes a new version."""
    app = embedded(Settings.from_env(state=state))
    events = plan_events(file, app.ledger)
    report = ingest(app, events, batch_size=len(events))
    click.echo(f"{file}: version {events[0]['version']}, {report.events_ingested} new fact(s), "
               f"{report.refused} refused (see tally dead-letters)")


@main.command()
@state_option
@click.option("--scope", default="company", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def milestones(state: str | None, scope: str, as_json: bool) -> None:
    """List milestones (fired and revoked) in business order."""
    rows = embedded(Settings.from_env(state=state)).reader.milestones(Scope.parse(scope))
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


if __name__ == "__main__":
    main()
