from pathlib import Path

import pytest

from streams.crm_export import ExportMissing, read_export

PIPELINE = """opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
W1,Amy Ames,GTXPro,Acme,Won,10/20/2016,3/1/2017,4514
L1,Amy Ames,MG Special,Acme,Lost,11/02/2016,3/5/2017,0
E1,Bo Berg,GTX Basic,,Engaging,6/1/2017,,
P1,Bo Berg,GTX Basic,,Prospecting,,,
B1,Bo Berg,GTX Basic,Acme,Won,13/45/2017,3/9/2017,10
B2,Bo Berg,GTX Basic,Acme,Won,3/1/2017,,
B3,Bo Berg,GTX Basic,Acme,Closed,3/1/2017,3/9/2017,10
"""
TEAMS = "sales_agent,manager,regional_office\nAmy Ames,Cy Cole,West\nBo Berg,Cy Cole,West\nDi Dorn,Ed Eel,East\n"
PRODUCTS = "product,series,sales_price\nGTX Pro,GTX,4821\nMG Special,MG,55\nGTX Basic,GTX,550\n"


def export(tmp_path: Path) -> Path:
    (tmp_path / "sales_pipeline.csv").write_text(PIPELINE)
    (tmp_path / "sales_teams.csv").write_text(TEAMS)
    (tmp_path / "products.csv").write_text(PRODUCTS)
    return tmp_path


def by_id(reading):
    return {e["event_id"]: e for e in reading.events}


def test_each_opportunity_becomes_opened_and_its_closing_event_with_stable_ids(tmp_path):
    events = by_id(read_export(export(tmp_path)))
    assert events["crm-csv:W1:opened"]["occurred_at"] == "2016-10-20"
    assert events["crm-csv:W1:won"] == {
        "event_id": "crm-csv:W1:won", "type": "deal.won", "occurred_at": "2017-03-01",
        "source": "crm-csv", "deal_id": "W1", "rep_id": "Amy Ames", "currency": "USD",
        "product": "GTX Pro", "account": "Acme", "amount": "4514"}
    assert "amount" not in events["crm-csv:L1:lost"]
    assert "crm-csv:E1:won" not in events and "crm-csv:E1:lost" not in events


def test_a_row_without_engage_date_opens_at_the_exports_last_date_flagged_estimated(tmp_path):
    opened = by_id(read_export(export(tmp_path)))["crm-csv:P1:opened"]
    assert opened["occurred_at"] == "2017-06-01"  # the latest date among the readable rows
    assert opened["estimated"] is True


def test_every_agent_joins_at_the_start_of_the_exports_first_quarter(tmp_path):
    reps = [e for e in read_export(export(tmp_path)).events if e["type"] == "rep.joined"]
    assert [(r["rep_id"], r["occurred_at"], r["manager"], r["region"]) for r in reps] == [
        ("Amy Ames", "2016-10-01", "Cy Cole", "West"), ("Bo Berg", "2016-10-01", "Cy Cole", "West"),
        ("Di Dorn", "2016-10-01", "Ed Eel", "East")]


def test_quirks_are_counted_not_hidden(tmp_path):
    quirks = read_export(export(tmp_path)).quirks
    assert quirks["product 'GTXPro' read as 'GTX Pro'"] == 1
    assert quirks["no account (kept, account empty)"] == 2
    assert quirks["no engage_date (opened at the export's last date, estimated)"] == 1


def test_unreadable_rows_are_refused_with_field_and_reason_and_the_rest_kept(tmp_path):
    reading = read_export(export(tmp_path))
    refused = {(d.field, d.reason) for d in reading.rejected}
    assert refused == {("engage_date", "'13/45/2017' is not a M/D/YYYY date"),
                       ("close_date", "is missing on a Won row"),
                       ("deal_stage", "'Closed' is not one of Engaging, Lost, Prospecting, Won")}
    assert all('"B' in d.payload for d in reading.rejected)
    assert {e["deal_id"] for e in reading.events if "deal_id" in e} == {"W1", "L1", "E1", "P1"}


def test_a_second_row_with_the_same_opportunity_id_is_refused_and_counted(tmp_path):
    (tmp_path / "sales_pipeline.csv").write_text(PIPELINE + "W1,Bo Berg,GTX Basic,Acme,Lost,11/02/2016,3/5/2017,0\n")
    (tmp_path / "sales_teams.csv").write_text(TEAMS)
    (tmp_path / "products.csv").write_text(PRODUCTS)
    reading = read_export(tmp_path)
    assert ("opportunity_id", "appears more than once in the export") in {(d.field, d.reason) for d in reading.rejected}
    assert "crm-csv:W1:lost" not in by_id(reading)
    assert reading.quirks["opportunity_id appearing twice (later row refused)"] == 1


@pytest.mark.parametrize("broken, message", [
    ("missing products.csv", "products.csv: the export has no such file"),
    ("no sales_agent column", "sales_teams.csv: no column sales_agent"),
    ("latin-1 byte", "sales_pipeline.csv: not UTF-8"),
])
def test_an_unreadable_export_file_is_named_in_the_error(tmp_path, broken, message):
    export(tmp_path)
    if broken == "missing products.csv":
        (tmp_path / "products.csv").unlink()
    elif broken == "no sales_agent column":
        (tmp_path / "sales_teams.csv").write_text(TEAMS.replace("sales_agent", "agent"))
    else:
        (tmp_path / "sales_pipeline.csv").write_bytes(PIPELINE.encode() + b"X1,Jos\xe9,GTX Basic,,Engaging,6/1/2017,,\n")
    with pytest.raises(ValueError, match=message):
        read_export(tmp_path)


def test_no_directory_at_all_is_export_missing(tmp_path):
    with pytest.raises(ExportMissing):
        read_export(tmp_path / "nowhere")


@pytest.mark.parametrize("bogus", ["B9,Bo Berg,GTX Basic,Acme,Won,10/20/1899,3/9/2017,10",
                                   "B9,Bo Berg,GTX Basic,Acme,Won,3/1/2017,3/1/1017,10"])
def test_a_date_outside_the_door_years_refuses_that_row_alone_and_reps_still_join_in_2016_q4(tmp_path, bogus):
    export(tmp_path)
    (tmp_path / "sales_pipeline.csv").write_text(PIPELINE + bogus + "\n")
    reading = read_export(tmp_path)
    assert [(d.field, "outside the years 1900-2100" in d.reason) for d in reading.rejected
            if '"B9"' in d.payload] == [("engage_date" if "1899" in bogus else "close_date", True)]
    assert len(reading.rejected) == 4  # the fixture's three bad rows, and this one
    joined = {e["occurred_at"] for e in reading.events if e["type"] == "rep.joined"}
    assert joined == {"2016-10-01"}


def test_a_refused_rows_dates_do_not_move_the_exports_first_quarter(tmp_path):
    export(tmp_path)
    (tmp_path / "sales_pipeline.csv").write_text(PIPELINE + "B9,Bo Berg,GTX Basic,Acme,Closed,1/5/1950,,\n")
    joined = {e["occurred_at"] for e in read_export(tmp_path).events if e["type"] == "rep.joined"}
    assert joined == {"2016-10-01"}


def test_a_repeated_header_column_refuses_the_file_naming_the_column(tmp_path):
    export(tmp_path)
    (tmp_path / "sales_pipeline.csv").write_text(
        PIPELINE.replace("close_value\n", "close_value,close_value\n", 1))
    with pytest.raises(ValueError, match="sales_pipeline.csv: column close_value appears more than once"):
        read_export(tmp_path)


def test_a_field_past_the_csv_limit_stops_the_import_naming_file_and_line(tmp_path):
    export(tmp_path)
    (tmp_path / "sales_pipeline.csv").write_text(PIPELINE + f"X1,Bo Berg,GTX Basic,{'a' * 131_073},Engaging,6/1/2017,,\n")
    with pytest.raises(ValueError, match=r"sales_pipeline.csv: line 9 is not readable CSV \(field larger"):
        read_export(tmp_path)


def test_a_directory_where_a_file_should_be_is_named(tmp_path):
    export(tmp_path)
    (tmp_path / "sales_teams.csv").unlink()
    (tmp_path / "sales_teams.csv").mkdir()
    with pytest.raises(ValueError, match="sales_teams.csv: is a directory, not a CSV file"):
        read_export(tmp_path)


def pipeline_with(tmp_path: Path, *rows: str):
    (tmp_path / "sales_pipeline.csv").write_text(PIPELINE + "".join(f"{r}\n" for r in rows))
    (tmp_path / "sales_teams.csv").write_text(TEAMS)
    (tmp_path / "products.csv").write_text(PRODUCTS)
    return read_export(tmp_path)


@pytest.mark.parametrize("close_value, reason", [
    ("12.345", "'12.345' has more than 2 decimal places"),
    ("about 500", "'about 500' is not a decimal string like '1234.50'"),
    ("", "is missing on a Won row"),
    ("-5", "must be at least 0, got -5"),
])
def test_a_won_row_whose_close_value_is_not_money_is_refused_naming_the_column(tmp_path, close_value, reason):
    reading = pipeline_with(tmp_path, f"V1,Amy Ames,GTX Basic,Acme,Won,3/1/2017,3/9/2017,{close_value}")
    assert ("close_value", reason) in {(d.field, d.reason) for d in reading.rejected}
    assert "V1" not in {e.get("deal_id") for e in reading.events}


def test_a_text_column_the_door_would_refuse_is_refused_naming_the_column(tmp_path):
    reading = pipeline_with(tmp_path, "V1,Amy\u200bAmes,GTX Basic,Acme,Won,3/1/2017,3/9/2017,10")
    assert ("sales_agent", "contains an invisible format character (U+200B ZERO WIDTH SPACE)") in {
        (d.field, d.reason) for d in reading.rejected}


def test_an_opportunity_id_too_long_for_its_event_ids_is_refused_naming_the_column(tmp_path):
    reading = pipeline_with(tmp_path, f"{'V' * 242},Amy Ames,GTX Basic,Acme,Engaging,3/1/2017,,")
    assert ("opportunity_id", "must be at most 241 characters (it is part of event ids), got 242") in {
        (d.field, d.reason) for d in reading.rejected}


def test_a_team_row_with_an_unreadable_column_is_refused_naming_it_and_the_other_agents_join(tmp_path):
    (tmp_path / "sales_pipeline.csv").write_text(PIPELINE)
    (tmp_path / "sales_teams.csv").write_text(TEAMS + "Fay Fox,Gil\tGold,East\n")
    (tmp_path / "products.csv").write_text(PRODUCTS)
    reading = read_export(tmp_path)
    assert [(d.field, d.reason) for d in reading.rejected if '"Fay Fox"' in d.payload] == [
        ("manager", "contains a control character (U+0009)")]
    assert [e["rep_id"] for e in reading.events if e["type"] == "rep.joined"] == ["Amy Ames", "Bo Berg", "Di Dorn"]
