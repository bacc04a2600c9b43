"""`tally demo` and `tally ingest`: feed events through the embedded pipeline."""
import asyncio
import sys
import threading
from pathlib import Path
from typing import Any

import click
import orjson

from domain.money import CENT
from streams.crm_export import ExportMissing, read_export
from streams.deadletter import raw_line
from streams.payload import decode
from streams.exceptions import InvalidEvent
from streams.synthetic import synthetic_events
from tally.bootstrap import Embedded
from tally.live import serve_live
from tally.pipeline import IngestReport, ingest_once
from tally.plan_files import PlanFileError, plan_events

__all__ = ["run_demo", "ingest_jsonl", "show"]

_WHERE = ("The public data set is 'CRM Sales Opportunities' from the Maven Analytics Data "
          "Playground (mavenanalytics.io/data-playground); put its CSV files there or pass --data DIR.")


def _source(app: Embedded, data: Path, seed: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    try:
        reading = read_export(data)
    except ExportMissing:
        click.echo(f"No CRM export at {data}. {_WHERE} Running on a seeded synthetic feed "
                   f"(seed {seed}) instead.", err=True)
        if app.ledger.recorder.max_notification_id():
            click.echo(f"Note: {app.settings.state} already holds a ledger; the synthetic feed is added "
                       "to it (pass --state DIR to keep them apart).", err=True)
        return synthetic_events(seed=seed), {"source": "synthetic", "seed": seed}
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for letter in reading.rejected:
        app.door.dead_letters.add(letter)
    return reading.events, {"source": str(data), "rows_refused": len(reading.rejected),
                            "quirks": dict(reading.quirks)}


def summary(app: Embedded, report: IngestReport, about: dict[str, Any]) -> dict[str, Any]:
    """This run's counts at the top; the state's totals (every run so far) under `state`."""
    deals_won, revenue = app.reader.won_totals()
    state = {"deals_won": deals_won, "won_revenue": str(revenue.quantize(CENT)),
             "dead_letters": app.door.dead_letters.count()}
    if report.projector is not None:
        state["projected_by"] = report.projector
        click.echo(f"The projector of {app.settings.state} ({report.projector}) projects these facts; "
                   "the state's totals below may not hold them yet.", err=True)
    return {**about, "events_read": report.events_read, "events_ingested": report.events_ingested,
            "duplicates": report.duplicates, "refused": report.refused, "elapsed_s": report.elapsed_s,
            "state": state}


def demo_summary(app: Embedded, report: IngestReport, about: dict[str, Any]) -> dict[str, Any]:
    """The summary plus issue 2's keys: the state's dead letters, deals won and won revenue."""
    result = summary(app, report, about)
    return {**result, **{k: result["state"][k] for k in ("dead_letters", "deals_won", "won_revenue")}}


def run_demo(app: Embedded, data: Path, *, once: bool, as_json: bool, speed: float | None, seed: int) -> None:
    raws, about = _source(app, data, seed)
    try:
        raws = plan_events(app.settings.plan_file, app.ledger) + raws
    except PlanFileError as error:
        raise click.ClickException(f"TALLY_PLAN {error}") from None
    if once:
        _print(demo_summary(app, ingest_once(app, raws), about), as_json)
        return
    stop = threading.Event()
    try:
        asyncio.run(serve_live(app, raws, speed, stop, lambda report: _print(demo_summary(app, report, about), as_json)))
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        stop.set()


def show(result: dict[str, Any]) -> None:
    for key, value in result.items():
        click.echo(f"{key}: {orjson.dumps(value).decode() if isinstance(value, dict) else value}")


def _print(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        sys.stdout.write(orjson.dumps(result).decode() + "\n")
    else:
        show(result)


def ingest_jsonl(app: Embedded, path: Path) -> dict[str, Any]:
    """Every non-blank line is an event read; one that is no JSON object is refused as it is."""
    raws: list[dict[str, Any]] = []
    unreadable = 0
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            line = line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line
            if not line.strip():
                continue
            try:
                raws.append(decode(line))
            except InvalidEvent as error:
                app.door.refuse(raw_line(line.rstrip(b"\r\n"), line=number), error)
                unreadable += 1
    report = ingest_once(app, raws)
    report.events_read += unreadable
    report.refused += unreadable
    return summary(app, report, {"source": str(path)})
