"""Reading commands: boards, statements, what-if estimates, milestones, dead letters."""
from datetime import datetime
from decimal import Decimal

import click

from domain.board import METRICS, Scope
from domain.money import money_text
from domain.periods import quarter_bounds, window_kind
from projections.commissions import CommissionBook
from projections.reader import Reader
from projections.settlement import empty_statement
from streams.fields import as_named
from tally.cli_common import UserError, emit, main, open_state, reader, settings, state_option
from tally.statement_format import as_csv, as_text

__all__: list[str] = []


def _nfc(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Names as the door keeps them, so a name typed with a combining accent finds its rep."""
    return as_named(value)


def _calendar_quarter(quarter: str) -> None:
    """A usage error for anything but a quarter the calendar holds: 0000-Q1 and 9999-Q4 have
    no first day or no next one. (2101-Q1 can hold an adjustment for a closed 2100-Q4.)"""
    try:
        is_quarter = window_kind(quarter) == "quarter"
    except ValueError:
        is_quarter = False
    if not is_quarter:
        raise click.BadParameter(f"{quarter!r} is not a quarter like 2017-Q2", param_hint="QUARTER")
    try:
        quarter_bounds(quarter)
    except ValueError:
        raise click.BadParameter(f"{quarter!r} is outside the calendar", param_hint="QUARTER") from None


def _scope(text: str, reading: Reader) -> Scope:
    """The parsed scope; a usage error (exit 2) when no rep is in it."""
    try:
        scope = Scope.parse(text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--scope") from None
    if not reading.knows(scope):
        raise click.BadParameter(f"no rep has {scope.kind} {scope.name!r} (names are case-sensitive)",
                                 param_hint="--scope")
    return scope


@main.command()
@state_option
@click.argument("metric", type=click.Choice(METRICS))
@click.option("--window", default="all", show_default=True, help="all, 2017, 2017-Q2 or 2017-05.")
@click.option("--scope", default="company", show_default=True, callback=_nfc,
              help="company, region:NAME or manager:NAME.")
@click.option("--json", "as_json", is_flag=True)
def board(state: str | None, metric: str, window: str, scope: str, as_json: bool) -> None:
    """Print a leaderboard."""
    try:
        window_kind(window)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--window") from None
    reading = reader(state)
    parsed = _scope(scope, reading)
    rows = reading.board(metric, window, parsed)
    if as_json:
        emit([{"rank": r.rank, "rep": r.rep, "score": str(r.score)} for r in rows])
        return
    click.echo(f"{metric} · {window} · {parsed}")
    for r in rows:
        click.echo(f"{r.rank:>4}  {r.rep:<28} {r.score:>14}")


@main.command()
@state_option
@click.argument("rep", callback=_nfc)
@click.argument("quarter")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
def statement(state: str | None, rep: str, quarter: str, fmt: str, as_json: bool) -> None:
    """Print a rep's commission for a quarter, line by line."""
    _calendar_quarter(quarter)
    views, tz = reader(state), settings(state).tz
    body = views.statement(rep, quarter)
    if body is None:
        if views.rep_summary(rep) is None:
            raise UserError(f"no rep named {rep!r} in the ledger (names are case-sensitive)")
        body = empty_statement(CommissionBook(views.documents(), tz), rep, quarter)
    fmt = "json" if as_json else fmt
    if fmt == "json":
        emit(body)
    else:
        click.echo(as_csv(body) if fmt == "csv" else as_text(body, tz), nl=fmt == "text")


@main.command()
@state_option
@click.argument("rep", callback=_nfc)
@click.option("--deal", "amount", required=True, help="Amount of the hypothetical deal, e.g. 25000.")
@click.option("--as-of", "as_of", default=None,
              help="Business date the deal would close on (YYYY-MM-DD); default: the ledger's clock.")
@click.option("--json", "as_json", is_flag=True)
def estimate(state: str | None, rep: str, amount: str, as_of: str | None, as_json: bool) -> None:
    """What one more deal would pay, and which tier it lands in (writes nothing)."""
    from tally.what_if import what_if

    try:
        answer = what_if(open_state(state), rep, amount, as_of)
    except ValueError as error:
        raise UserError(str(error)) from None
    if as_json:
        emit(answer)
        return
    where = "" if answer["paid_in"] == answer["period"] else (
        f" ({answer['period']} is closed: paid as an adjustment in {answer['paid_in']})")
    click.echo(f"{rep} · a deal of {answer['deal']} closing {answer['as_of']} ({answer['period']}) "
               f"pays {answer['pays']}{where} (statement {answer['paid_in']}: total {answer['total_before']} "
               f"-> {answer['total_after']})" + (f" · {answer['note']}" if answer["note"] else ""))
    for line in answer["lines"]:
        click.echo(f"  tier {line['tier']} @ {line['rate']} on {line['base']} = {line['amount']}"
                   + (f"  {line['note']}" if line["note"] else ""))
    own = sum((Decimal(line["amount"]) for line in answer["lines"]), Decimal(0))
    if answer["lines"] and own != Decimal(answer["pays"]):
        click.echo(f"  its own lines come to {money_text(own)}; the rest is how it moves the quarter's other "
                   "lines (deals after it in a higher tier, a cap, a minimum, the gate)")


@main.command()
@state_option
@click.option("--scope", default="company", show_default=True, callback=_nfc)
@click.option("--json", "as_json", is_flag=True)
def milestones(state: str | None, scope: str, as_json: bool) -> None:
    """List milestones that hold, in business order."""
    reading, tz = reader(state), settings(state).tz
    rows = reading.milestones(_scope(scope, reading))
    if as_json:
        emit(rows)
        return
    if not rows:
        click.echo("no milestones", err=True)
    for m in rows:
        day = datetime.fromisoformat(m["at"]).astimezone(tz).date().isoformat()  # the business day
        click.echo(f"{day}  {m['kind']:<13} {m['rep']:<24} {m['deal_id']} {m['value']}")


@main.command("dead-letters")
@state_option
@click.option("--json", "as_json", is_flag=True)
def dead_letters(state: str | None, as_json: bool) -> None:
    """List refused events with the field and the reason."""
    letters = open_state(state).door.dead_letters.all()
    if as_json:
        emit([{"field": d.field, "reason": d.reason, "payload": d.payload} for d in letters])
        return
    if not letters:
        click.echo("no dead letters", err=True)
    for d in letters:
        click.echo(f"{d.field}: {d.reason}\n    {d.payload}")
