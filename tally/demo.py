"""`tally demo` and `tally ingest`: feed events through the embedded pipeline."""
import asyncio
import sys
import threading
from pathlib import Path
from typing import Any

import click
import orjson
from tqdm import tqdm

from domain.money import CENT
from streams.crm_export import ExportMissing, read_export
from streams.envelope import decode
from streams.exceptions import InvalidEvent
from streams.synthetic import synthetic_events
from tally.bootstrap import Embedded
from tally.pipeline import IngestReport, ingest
from tally.plan_files import plan_events

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
    deals_won, revenue = app.reader.won_totals()
    return {**about, "events_read": report.events_read, "events_ingested": report.events_ingested,
            "duplicates": report.duplicates, "dead_letters": app.door.dead_letters.count(),
            "deals_won": deals_won, "won_revenue": str(revenue.quantize(CENT)),
            "elapsed_s": report.elapsed_s}


def run_demo(app: Embedded, data: Path, *, once: bool, as_json: bool, speed: float | None, seed: int) -> None:
    raws, about = _source(app, data, seed)
    raws = plan_events(app.settings.plan_file, app.ledger) + raws
    if once:
        _print(summary(app, ingest(app, raws, batch_size=app.settings.batch_size), about), as_json)
        return
    stop = threading.Event()
    try:
        asyncio.run(_live(app, raws, about, speed, as_json, stop))
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        stop.set()


async def _live(app: Embedded, raws: list[dict[str, Any]], about: dict[str, Any],
                speed: float | None, as_json: bool, stop: threading.Event) -> None:
    from tally.serve import build_gateway

    settings = app.settings
    gateway = build_gateway(settings, app.reader, app.feed)
    try:
        await gateway.start()
    except OSError as error:
        raise click.ClickException(f"cannot listen on {settings.host}:{settings.port} ({error.strerror}); "
                                   "set TALLY_PORT to another port") from None
    click.echo(f"TV leaderboard: http://{settings.host}:{gateway.port}/  (Ctrl-C to stop)", err=True)
    try:
        with tqdm(total=len(raws), unit="ev", desc="ingest", file=sys.stderr) as bar:
            report = await asyncio.to_thread(ingest, app, raws, batch_size=settings.batch_size,
                                             rate=speed, on_batch=bar.update, stop=stop)
        _print(summary(app, report, about), as_json)
        click.echo("Feed done; still serving the board.", err=True)
        await gateway.serve_forever()
    finally:
        stop.set()  # a cancelled to_thread keeps running: tell the ingest to stop at its next batch


def show(result: dict[str, Any]) -> None:
    for key, value in result.items():
        click.echo(f"{key}: {orjson.dumps(value).decode() if isinstance(value, dict) else value}")


def _print(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        sys.stdout.write(orjson.dumps(result).decode() + "\n")
    else:
        show(result)


def ingest_jsonl(app: Embedded, path: Path) -> dict[str, Any]:
    raws: list[dict[str, Any]] = []
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            line = line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line
            if not line.strip():
                continue
            try:
                raws.append(decode(line))
            except InvalidEvent as error:
                app.door.refuse({"line": number, "text": line.decode("utf-8", "replace")}, error)
    report = ingest(app, raws, batch_size=app.settings.batch_size)
    return summary(app, report, {"source": str(path)})
