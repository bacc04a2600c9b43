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
