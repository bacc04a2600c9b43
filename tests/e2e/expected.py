"""Expected figures for the CRM export, computed straight from the CSV files.

Nothing here imports Tally: it reads the export with the csv module and applies the demo
plan's rules by hand, so the end-to-end tests compare Tally against an independent answer.
"""
import csv
import os
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

EXPORT = Path(os.environ.get("TALLY_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"
                             / "crm-sales-opportunities"))
QUOTA = Decimal(150000)


def won_rows() -> list[dict[str, str]]:
    with (EXPORT / "sales_pipeline.csv").open(newline="") as f:
        return [r for r in csv.DictReader(f) if r["deal_stage"] == "Won"]


def agents() -> dict[str, tuple[str, str]]:
    with (EXPORT / "sales_teams.csv").open(newline="") as f:
        return {r["sales_agent"]: (r["manager"], r["regional_office"]) for r in csv.DictReader(f)}


def quarter(mdy: str) -> str:
    month, _, year = mdy.split("/")
    return f"{year}-Q{(int(month) - 1) // 3 + 1}"


def revenue_by_rep_quarter() -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in won_rows():
        totals[(r["sales_agent"], quarter(r["close_date"]))] += Decimal(r["close_value"])
    return dict(totals)


def demo_commission(revenue: Decimal) -> Decimal:
    """8 % to 150,000, 12 % to 225,000, 15 % beyond; rounded half-up to cents."""
    pay = min(revenue, QUOTA) * Decimal("0.08")
    pay += max(Decimal(0), min(revenue, Decimal(225000)) - QUOTA) * Decimal("0.12")
    pay += max(Decimal(0), revenue - Decimal(225000)) * Decimal("0.15")
    return pay.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pipeline_rows() -> list[dict[str, str]]:
    with (EXPORT / "sales_pipeline.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def quirk_counts() -> dict[str, int]:
    rows = pipeline_rows()
    return {"product 'GTXPro' read as 'GTX Pro'": sum(r["product"] == "GTXPro" for r in rows),
            "no account (kept, account empty)": sum(r["account"] == "" for r in rows),
            "no engage_date (opened at the export's last date, estimated)": sum(r["engage_date"] == "" for r in rows)}


def demo_event_count(plan_file: Path) -> int:
    """A rep.joined per agent, an opened per row, a won or lost per closed row, and the
    demo plan's published version plus one assignment per [[assign]] table."""
    plan_events = 1 + plan_file.read_text().count("\n[[assign]]")
    closed = sum(r["deal_stage"] in ("Won", "Lost") for r in pipeline_rows())
    return len(agents()) + len(pipeline_rows()) + closed + plan_events


def ymd(mdy: str) -> tuple[int, int, int]:
    month, day, year = (int(part) for part in mdy.split("/"))
    return year, month, day


def in_window(mdy: str, window: str) -> bool:
    year, month, _ = ymd(mdy)
    return window in ("all", str(year), f"{year}-Q{(month - 1) // 3 + 1}", f"{year}-{month:02d}")


def board(metric: str, window: str, scope: str) -> list[tuple[int, str, str]]:
    """[(rank, rep, score)]: competition ranking; equals by who reached the score first (the
    close date, then event id, of their last deal in the window); zeros by name."""
    kind, _, name = scope.partition(":")
    team = [a for a, (manager, region) in agents().items()
            if kind == "company" or (region if kind == "region" else manager) == name]
    score = {a: Decimal(0) for a in team}
    reached = {a: ((0, 0, 0), "") for a in team}
    for r in won_rows():
        if r["sales_agent"] in score and in_window(r["close_date"], window):
            score[r["sales_agent"]] += Decimal(r["close_value"]) if metric == "revenue" else 1
            at = (ymd(r["close_date"]), f"crm-csv:{r['opportunity_id']}:won")
            reached[r["sales_agent"]] = max(reached[r["sales_agent"]], at)
    order = sorted((a for a in team if score[a]), key=lambda a: (-score[a], reached[a]))
    order += sorted(a for a in team if not score[a])
    rows: list[tuple[int, str, str]] = []
    for position, a in enumerate(order, start=1):
        shown = f"{score[a]:.2f}" if metric == "revenue" else str(score[a])
        rank = rows[-1][0] if rows and rows[-1][2] == shown else position
        rows.append((rank, a, shown))
    return rows
