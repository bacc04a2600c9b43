"""A statement as text for people and CSV for spreadsheets (JSON is the stored form).

Both show every line, then the exact sum, the rounding (half-up to cents, once) and the
total. CSV text cells that a spreadsheet would run as a formula (starting with = + - @,
tab or carriage return: a deal id like `=HYPERLINK(...)`) are prefixed with a quote.
"""
import csv
import io
from datetime import datetime, tzinfo
from typing import Any

from projections.statements import LINE_FIELDS

__all__ = ["as_text", "as_csv"]

_NUMBERS = {"credited", "tier", "rate", "base", "amount", "plan_version", "position"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_SUMMARY = ("exact", "rounding", "total")


def as_text(body: dict[str, Any], tz: tzinfo) -> str:
    """Dates are business days in `tz` (TALLY_TZ), whatever offset the fact was sent with."""
    plan = f"plan {body['plan']} v{body['plan_version']} ({body['method']})" if body["plan"] else "no plan"
    head = (f"{body['rep']} · {body['period']} · {plan} · quota {body['quota']} · revenue {body['revenue']} "
            f"({body['attainment_pct']} %){' · CLOSED' if body.get('closed') else ''}")
    out = [head] + ([f"  {body['note']}"] if body.get("note") else [])
    if body.get("gate"):
        g = body["gate"]
        out.append(f"  gate: year-to-date {g['ytd_revenue']} of {g['ytd_quota']} ({'met' if g['met'] else 'not met'})")
    for line in body["lines"]:
        if line["kind"] == "credit":
            day = datetime.fromisoformat(line["at"]).astimezone(tz).date().isoformat()
            out.append(f"  {line['deal']:<12} {day} credited {line['credited']:>12}  tier {line['tier']} "
                       f"@ {line['rate']:<6} on {line['base']:>12} = {line['amount']:>12}  "
                       f"[{line['source']} #{line['position']}]{'  ' + line['note'] if line['note'] else ''}")
        else:
            out.append(f"  {line['kind']:<12} {line['note']:<60} = {line['amount']:>12}")
    out.append(f"  exact sum {body['exact']}  rounding (half-up to cents) {body['rounding']}  total {body['total']}")
    return "\n".join(out)


def _cell(name: str, value: Any) -> Any:
    text = "" if value is None else value
    if name not in _NUMBERS and isinstance(text, str) and text.startswith(_FORMULA):
        return "'" + text
    return text


def as_csv(body: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    head = [("rep", body["rep"]), ("period", body["period"]), ("plan", body["plan"])]
    writer.writerow([name for name, _ in head] + list(LINE_FIELDS))
    rows = [[line[f] for f in LINE_FIELDS] for line in body["lines"]]
    rows += [[kind if f == "kind" else body[kind] if f == "amount" else "" for f in LINE_FIELDS] for kind in _SUMMARY]
    for row in rows:
        writer.writerow([_cell(name, value) for name, value in head] +
                        [_cell(f, value) for f, value in zip(LINE_FIELDS, row)])
    return buffer.getvalue()
