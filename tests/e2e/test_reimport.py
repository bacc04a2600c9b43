"""The import is complete against the CSV, and re-importing an updated export adds only what changed."""
import csv
import shutil
from decimal import Decimal
from pathlib import Path

import orjson

from tests.e2e.conftest import run_tally
from tests.e2e.expected import agents, demo_commission, demo_event_count, pipeline_rows, quirk_counts, won_rows

PLAN = Path(__file__).resolve().parents[2] / "tally" / "plans" / "demo.toml"


def test_every_row_and_agent_of_the_export_is_read_and_every_quirk_counted(clean_run):
    _, summary = clean_run
    assert summary["events_read"] == demo_event_count(PLAN) == 15548
    assert summary["events_read"] == summary["events_ingested"] + summary["duplicates"] + summary["refused"]
    assert summary["quirks"] == quirk_counts()
    assert list(quirk_counts().values()) == [1480, 1425, 500]


def export_with(export: Path, tmp_path: Path, stage: str, **changes: str) -> tuple[Path, dict[str, str]]:
    """A copy of the export where the first row of `stage` with an engage_date is changed."""
    updated = tmp_path / "export"
    shutil.copytree(export, updated)
    rows = pipeline_rows()
    row = next(r for r in rows if r["deal_stage"] == stage and r["engage_date"])
    row.update(changes)
    with (updated / "sales_pipeline.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return updated, row


def test_one_date_out_of_range_in_the_export_refuses_that_row_alone(tmp_path, export_dir):
    updated, row = export_with(export_dir, tmp_path, "Won", engage_date="10/20/1899")
    summary = orjson.loads(run_tally("demo", "--once", "--json", "--data", str(updated), state=tmp_path / "state"))
    assert (summary["rows_refused"], summary["refused"], summary["dead_letters"]) == (1, 0, 1)
    assert summary["deals_won"] == len(won_rows()) - 1
    west = orjson.loads(run_tally("board", "deals", "--scope", "region:West", "--json", state=tmp_path / "state"))
    in_west = {a for a, (_, region) in agents().items() if region == "West"}
    expected = sum(r["sales_agent"] in in_west for r in won_rows()) - (row["sales_agent"] in in_west)
    assert {r["rep"] for r in west} == in_west
    assert sum(int(r["score"]) for r in west) == expected > 1000


def board(state: Path, metric: str) -> dict[str, Decimal]:
    rows = orjson.loads(run_tally("board", metric, "--json", state=state))
    return {r["rep"]: Decimal(r["score"]) for r in rows}


def test_reimporting_an_updated_export_adds_only_the_deal_that_was_won(tmp_path, export_dir, clean_run):
    state = tmp_path / "state"
    shutil.copytree(clean_run[0], state)
    before = {m: board(state, m) for m in ("revenue", "deals")}
    updated, row = export_with(export_dir, tmp_path, "Engaging", deal_stage="Won", close_date="12/29/2017",
                               close_value="12345")
    summary = orjson.loads(run_tally("demo", "--once", "--json", "--data", str(updated), state=state))
    assert (summary["events_ingested"], summary["refused"]) == (1, 0)
    assert summary["duplicates"] == summary["events_read"] - 1
    rep, value = row["sales_agent"], Decimal(row["close_value"])
    assert board(state, "revenue") == {**before["revenue"], rep: before["revenue"][rep] + value}
    assert board(state, "deals") == {**before["deals"], rep: before["deals"][rep] + 1}
    revenue_q4 = sum((Decimal(r["close_value"]) for r in won_rows()
                      if r["sales_agent"] == rep and r["close_date"].startswith(("10/", "11/", "12/"))
                      and r["close_date"].endswith("2017")), Decimal(0)) + value
    statement = orjson.loads(run_tally("statement", rep, "2017-Q4", "--json", state=state))
    assert Decimal(statement["total"]) == demo_commission(revenue_q4)
