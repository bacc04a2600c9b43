"""Importer for the CRM Sales Opportunities export (sales_pipeline.csv, sales_teams.csv).

Each opportunity becomes `deal.opened` at its engage date (a row without one opens at the
export's last date, flagged estimated) and `deal.won` / `deal.lost` at its close date.
Each agent of sales_teams.csv becomes `rep.joined`, dated at the start of the export's
first quarter (the file has no hire dates). Event ids are stable per row and kind,
`crm-csv:<opportunity_id>:<opened|won|lost>`, so re-importing adds only what changed.

Quirks are handled and counted, never fixed silently: product names are matched to
products.csv ignoring spaces (`GTXPro` is `GTX Pro`); rows without account are kept;
a Lost row's close_value of 0 is not an amount. Rows that cannot be read are refused
with the field and the reason.
"""
import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from streams.deadletter import DeadLetter
from streams.fields import YEARS

__all__ = ["ExportReading", "ExportMissing", "read_export", "SOURCE"]

SOURCE = "crm-csv"
STAGES = {"Prospecting", "Engaging", "Won", "Lost"}


@dataclass
class ExportReading:
    events: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[DeadLetter] = field(default_factory=list)
    quirks: Counter[str] = field(default_factory=Counter)


class ExportMissing(FileNotFoundError):
    """No export at all at that path (the demo then falls back to a synthetic feed)."""


class _RowError(ValueError):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name


def _rows(path: Path, *columns: str) -> list[dict[str, str]]:
    """The file's rows; ValueError naming the file (and the line or column) when it is missing,
    unreadable, not CSV, or lacks or repeats a column."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            _check_header(path, header, columns)
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except FileNotFoundError:
        raise ValueError(f"{path}: the export has no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a directory, not a CSV file") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise ValueError(f"{path}: line {reader.line_num + 1} is not readable CSV ({error})") from None
    except OSError as error:
        raise ValueError(f"{path}: cannot be read ({error.strerror})") from None


def _check_header(path: Path, header: Sequence[str], columns: tuple[str, ...]) -> None:
    """A repeated column would silently win over its twin: refuse the file instead."""
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        raise ValueError(f"{path}: column {', '.join(repeated)} appears more than once in the header")
    missing = [c for c in columns if c not in header]
    if missing:
        raise ValueError(f"{path}: no column {', '.join(missing)}")


def _date(row: dict[str, str], name: str) -> date | None:
    value = row.get(name, "")
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%m/%d/%Y").date()
    except ValueError:
        raise _RowError(name, f"{value!r} is not a M/D/YYYY date") from None
    if day.year not in YEARS:  # the door's years: refused here, the row alone goes
        raise _RowError(name, f"{value!r} is outside the years {YEARS.start}-{YEARS.stop - 1}")
    return day


def read_export(directory: Path) -> ExportReading:
    """Reads the export into inbound events; ExportMissing when the directory is not there,
    ValueError naming the file when a file of it cannot be read."""
    if not directory.is_dir():
        raise ExportMissing(directory)
    reading = ExportReading()
    pipeline = _rows(directory / "sales_pipeline.csv", "opportunity_id", "sales_agent", "product",
                     "account", "deal_stage", "engage_date", "close_date", "close_value")
    teams = _rows(directory / "sales_teams.csv", "sales_agent", "manager", "regional_office")
    products = {p["product"].replace(" ", "").lower(): p["product"]
                for p in _rows(directory / "products.csv", "product")}
    dated: list[tuple[dict[str, str], date | None, date | None]] = []
    seen: set[str] = set()
    for row in pipeline:
        if row["opportunity_id"] in seen:
            reading.quirks["opportunity_id appearing twice (later row refused)"] += 1
            reading.rejected.append(_refusal(row, "opportunity_id", "appears more than once in the export"))
            continue
        seen.add(row["opportunity_id"])
        try:
            dated.append(_checked(row))
        except _RowError as error:
            reading.rejected.append(_refusal(row, error.field, str(error)))
    days = [d for _, engaged, closed in dated for d in (engaged, closed) if d]  # refused rows' excluded
    if not days:
        return reading
    first, last = min(days), max(days)
    joined_on = date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    for team_row in teams:
        reading.events.append(_rep_joined(team_row, joined_on))
    for row, engaged, closed in dated:
        reading.events.extend(_deal_events(row, engaged, closed, last, products, reading.quirks))
    return reading


def _checked(row: dict[str, str]) -> tuple[dict[str, str], date | None, date | None]:
    """The row with its dates; _RowError when it cannot become events."""
    engaged, closed = _date(row, "engage_date"), _date(row, "close_date")
    stage = row.get("deal_stage", "")
    if stage not in STAGES:
        raise _RowError("deal_stage", f"{stage!r} is not one of {', '.join(sorted(STAGES))}")
    if stage in ("Won", "Lost") and closed is None:
        raise _RowError("close_date", f"is missing on a {stage} row")
    return row, engaged, closed


def _refusal(row: dict[str, str], field_name: str, reason: str) -> DeadLetter:
    payload = orjson.dumps({"source": SOURCE, "row": row}).decode()
    return DeadLetter(field=field_name, reason=reason, payload=payload)


def _rep_joined(row: dict[str, str], joined_on: date) -> dict[str, Any]:
    return {
        "event_id": f"{SOURCE}:rep:{row['sales_agent']}:joined", "type": "rep.joined",
        "occurred_at": joined_on.isoformat(), "source": SOURCE, "rep_id": row["sales_agent"],
        "manager": row.get("manager") or None, "region": row.get("regional_office") or None,
    }


def _deal_events(row: dict[str, str], engaged: date | None, closed: date | None, last: date,
                 products: dict[str, str], quirks: Counter[str]) -> list[dict[str, Any]]:
    stage = row["deal_stage"]
    opportunity = row.get("opportunity_id", "")
    base = {"source": SOURCE, "deal_id": opportunity, "rep_id": row.get("sales_agent", ""),
            "currency": "USD", "product": _product(row.get("product", ""), products, quirks),
            "account": row.get("account") or None}
    if base["account"] is None:
        quirks["no account (kept, account empty)"] += 1
    opened = {**base, "event_id": f"{SOURCE}:{opportunity}:opened", "type": "deal.opened",
              "occurred_at": (engaged or last).isoformat()}
    if engaged is None:
        opened["estimated"] = True
        quirks["no engage_date (opened at the export's last date, estimated)"] += 1
    events = [opened]
    if stage in ("Won", "Lost") and closed is not None:
        closing = {**base, "event_id": f"{SOURCE}:{opportunity}:{stage.lower()}",
                   "type": f"deal.{stage.lower()}", "occurred_at": closed.isoformat()}
        if stage == "Won":
            closing["amount"] = row.get("close_value", "")
        events.append(closing)
    return events


def _product(name: str, products: dict[str, str], quirks: Counter[str]) -> str | None:
    if not name:
        return None
    known = products.get(name.replace(" ", "").lower())
    if known is None:
        quirks[f"product {name!r} not in products.csv (kept as given)"] += 1
        return name
    if known != name:
        quirks[f"product {name!r} read as {known!r}"] += 1
    return known
