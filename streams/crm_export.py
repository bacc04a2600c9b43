"""Importer for the CRM Sales Opportunities export (sales_pipeline.csv, sales_teams.csv).

Each opportunity becomes `deal.opened` at its engage date (a row without one opens at the
export's last date, flagged estimated) and `deal.won` / `deal.lost` at its close date.
Each agent of sales_teams.csv becomes `rep.joined`, dated at the start of the export's
first quarter (the file has no hire dates). Event ids are stable per row and kind,
`crm-csv:<opportunity_id>:<opened|won|lost>`, so re-importing adds only what changed.

Quirks are handled and counted, never fixed silently: product names are matched to
products.csv ignoring spaces (`GTXPro` is `GTX Pro`); rows without account are kept;
a Lost row's close_value of 0 is not an amount. Rows that cannot be read are refused
with the column and the reason: each column is checked here by the door's own reader
(streams.fields) under the column's name, so a refusal says `close_value`, not `amount`.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from streams.csv_files import read_rows
from streams.deadletter import DeadLetter
from streams.exceptions import InvalidEvent
from streams.fields import YEARS, money, optional_text, text

__all__ = ["ExportReading", "ExportMissing", "read_export", "SOURCE"]

SOURCE = "crm-csv"
STAGES = {"Prospecting", "Engaging", "Won", "Lost"}
_MAX_ID = 256  # characters of an event id (the door's text limit)


@dataclass
class ExportReading:
    events: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[DeadLetter] = field(default_factory=list)
    quirks: Counter[str] = field(default_factory=Counter)


class ExportMissing(FileNotFoundError):
    """No export at all at that path (the demo then falls back to a synthetic feed)."""


def _date(row: dict[str, str], name: str) -> date | None:
    value = row.get(name, "")
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%m/%d/%Y").date()
    except ValueError:
        raise InvalidEvent(name, f"{value!r} is not a M/D/YYYY date") from None
    if day.year not in YEARS:  # the door's years: refused here, the row alone goes
        raise InvalidEvent(name, f"{value!r} is outside the years {YEARS.start}-{YEARS.stop - 1}")
    return day


def read_export(directory: Path) -> ExportReading:
    """Reads the export into inbound events; ExportMissing when the directory is not there,
    ValueError naming the file when a file of it cannot be read."""
    if not directory.is_dir():
        raise ExportMissing(directory)
    reading = ExportReading()
    pipeline = read_rows(directory / "sales_pipeline.csv", "opportunity_id", "sales_agent", "product",
                     "account", "deal_stage", "engage_date", "close_date", "close_value")
    teams = read_rows(directory / "sales_teams.csv", "sales_agent", "manager", "regional_office")
    products = {p["product"].replace(" ", "").lower(): p["product"]
                for p in read_rows(directory / "products.csv", "product")}
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
        except InvalidEvent as error:
            reading.rejected.append(_refusal(row, error.field, error.reason))
    days = [d for _, engaged, closed in dated for d in (engaged, closed) if d]  # refused rows' excluded
    if not days:
        return reading
    first, last = min(days), max(days)
    joined_on = date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    for team_row in teams:
        try:
            _columns(team_row, ["sales_agent"], ["manager", "regional_office"])
            _id_part(team_row, "sales_agent", f"{SOURCE}:rep::joined")
        except InvalidEvent as error:
            reading.rejected.append(_refusal(team_row, error.field, error.reason))
            continue
        reading.events.append(_rep_joined(team_row, joined_on))
    for row, engaged, closed in dated:
        reading.events.extend(_deal_events(row, engaged, closed, last, products, reading.quirks))
    return reading


def _checked(row: dict[str, str]) -> tuple[dict[str, str], date | None, date | None]:
    """The row with its dates; InvalidEvent naming the column when it cannot become events."""
    engaged, closed = _date(row, "engage_date"), _date(row, "close_date")
    stage = row.get("deal_stage", "")
    if stage not in STAGES:
        raise InvalidEvent("deal_stage", f"{stage!r} is not one of {', '.join(sorted(STAGES))}")
    if stage in ("Won", "Lost") and closed is None:
        raise InvalidEvent("close_date", f"is missing on a {stage} row")
    _columns(row, ["opportunity_id", "sales_agent"], ["product", "account"])
    _id_part(row, "opportunity_id", f"{SOURCE}::opened")
    if stage == "Won":
        if not row.get("close_value"):
            raise InvalidEvent("close_value", "is missing on a Won row")
        if money(row["close_value"], "close_value") < 0:
            raise InvalidEvent("close_value", f"must be at least 0, got {row['close_value']}")
    return row, engaged, closed


def _columns(row: dict[str, str], required: list[str], optional: list[str]) -> None:
    """The columns that become text fields, read as the door reads those fields."""
    for column in required:
        text(row, column)
    for column in optional:
        optional_text(row, column)


def _id_part(row: dict[str, str], column: str, around: str) -> None:
    """A column that is part of event ids (`around` is an id without it) leaves them short enough."""
    room = _MAX_ID - len(around)
    if len(row[column]) > room:
        raise InvalidEvent(column, f"must be at most {room} characters (it is part of event ids), "
                                   f"got {len(row[column])}")


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
    opened: dict[str, Any] = {**base, "event_id": f"{SOURCE}:{opportunity}:opened", "type": "deal.opened",
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
