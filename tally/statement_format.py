"""A statement as text for people and CSV for spreadsheets (JSON is the stored form)."""
import csv
import io
from typing import Any

from projections.statements import LINE_FIELDS

__all__ = ["as_text", "as_csv"]


def as_text(body: dict[str, Any]) -> str:
    head = (f"{body['rep']} · {body['period']} · plan {body['plan']} v{body['plan_version']} "
            f"({body['method']}) · quota {body['quota']} · revenue {body['revenue']} "
            f"({body['attainment_pct']} %){' · CLOSED' if body.get('closed') else ''}")
    out = [head]
    if body.get("gate"):
        g = body["gate"]
        out.append(f"  gate: year-to-date {g['ytd_revenue']} of {g['ytd_quota']} ({'met' if g['met'] else 'not met'})")
    for line in body["lines"]:
        if line["kind"] == "credit":
            out.append(f"  {line['deal']:<12} {line['at'][:10]} credited {line['credited']:>12}  tier {line['tier']} "
                       f"@ {line['rate']:<6} on {line['base']:>12} = {line['amount']:>12}  "
                       f"[{line['source']} #{line['position']}]{'  ' + line['note'] if line['note'] else ''}")
        else:
            out.append(f"  {line['kind']:<12} {line['note']:<60} = {line['amount']:>12}")
    out.append(f"  exact {body['exact']}  rounding {body['rounding']}  total {body['total']}")
    return "\n".join(out)


def as_csv(body: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["rep", "period", "plan", *LINE_FIELDS])
    for line in body["lines"]:
        writer.writerow([body["rep"], body["period"], body["plan"], *(line[f] for f in LINE_FIELDS)])
    writer.writerow([body["rep"], body["period"], body["plan"], "total", *[""] * 5, body["total"],
                     *[""] * (len(LINE_FIELDS) - 7)])
    return buffer.getvalue()
