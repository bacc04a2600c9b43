"""tally statement as text and CSV: every line, exact sum, rounding and total, hand-computed."""
import csv
import decimal
import io
import json

from tests.helpers import deal, demo_plan, plan
from tests.unit.tally.states import state, tally

# Demo plan (quota 150,000; 8 % to quota, 12 % above): "=SUM(A1)" 100,000 pays 8,000.00; B 50,000.07
# crosses quota: 50,000.00 at 8 % = 4,000.00 and 0.07 at 12 % = 0.0084. Exact 12,000.0084,
# rounded half-up to 12,000.01: rounding +0.0016.
CROSSING = [*demo_plan(), deal("won", "=SUM(A1)", "2017-04-01", amount="100000"),
            deal("won", "B", "2017-04-02", amount="50000.07")]


def test_text_shows_money_with_two_decimals_and_more_only_where_a_line_is_exact_below_the_cent(tmp_path):
    state(tmp_path, *CROSSING)
    out = tally(tmp_path, "statement", "amy", "2017-Q2").output
    assert "on    100000.00 =      8000.00" in out
    assert "on     50000.00 =      4000.00" in out
    assert "on         0.07 =       0.0084" in out
    assert out.rstrip().endswith("exact sum 12000.0084  rounding (half-up to cents) 0.0016  total 12000.01")


def rows(tmp_path, *args: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(tally(tmp_path, "statement", *args, "--format", "csv").output)))


def test_csv_has_every_line_then_exact_sum_rounding_and_total_rows(tmp_path):
    state(tmp_path, *CROSSING)
    got = [(r["kind"], r["deal"], r["base"], r["amount"]) for r in rows(tmp_path, "amy", "2017-Q2")]
    assert got == [("credit", "'=SUM(A1)", "100000.00", "8000.00"), ("credit", "B", "50000.00", "4000.00"),
                   ("credit", "B", "0.07", "0.0084"), ("exact", "", "", "12000.0084"),
                   ("rounding", "", "", "0.0016"), ("total", "", "", "12000.01")]


def test_csv_keeps_cap_lines_and_negative_amounts_as_numbers_but_quotes_formula_like_text(tmp_path):
    state(tmp_path, *plan("capped", [["0", "0.10"]], cap="500"),
          deal("won", "D", "2017-04-01", rep="+bo", amount="6000", source="@crm"))
    got = [(r["rep"], r["kind"], r["amount"], r["source"]) for r in rows(tmp_path, "+bo", "2017-Q2")]
    # 6,000 x 10 % = 600.00, capped at 500: a -100.00 cap line
    assert got == [("'+bo", "credit", "600.00", "'@crm"), ("'+bo", "cap", "-100.00", ""),
                   ("'+bo", "exact", "500.00", ""), ("'+bo", "rounding", "0.00", ""), ("'+bo", "total", "500.00", "")]


def test_an_unknown_rep_is_an_error_and_a_known_rep_with_nothing_credited_is_a_zero_answer(tmp_path):
    state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100"))
    unknown, nothing = tally(tmp_path, "statement", "Nobody", "2017-Q4"), tally(tmp_path, "statement", "amy", "2017-Q4")
    assert (unknown.exit_code, "no rep named 'Nobody' in the ledger" in unknown.output) == (2, True)
    assert (nothing.exit_code, nothing.output.strip().splitlines()) == (0, [
        "amy · 2017-Q4 · plan demo v1 (marginal) · quota 150000.00 · revenue 0.00 (0.00 %)",
        "  no revenue credited",
        "  exact sum 0.00  rounding (half-up to cents) 0.00  total 0.00"])


def test_json_has_one_shape_with_or_without_anything_credited(tmp_path):
    state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100"))
    credited, nothing = (json.loads(tally(tmp_path, "statement", "amy", q, "--json").output)
                         for q in ("2017-Q2", "2017-Q4"))
    assert sorted(nothing) == sorted(credited)
    assert {k: nothing[k] for k in ("plan", "plan_version", "quota", "revenue", "lines", "total", "note")} == {
        "plan": "demo", "plan_version": 1, "quota": "150000.00", "revenue": "0.00", "lines": [], "total": "0.00",
        "note": "no revenue credited"}


def test_deals_credited_where_no_plan_covers_the_rep_say_so_rather_than_nothing_credited(tmp_path):
    state(tmp_path, deal("won", "A", "2017-04-01", amount="100"))
    out = tally(tmp_path, "statement", "amy", "2017-Q2").output.splitlines()
    assert out[:2] == ["amy · 2017-Q2 · no plan · quota 0.00 · revenue 100.00 (0.00 %)",
                       "  no plan covers amy in 2017-Q2: credited deals earn no commission"]


def test_no_float_reaches_a_money_path_through_the_sqlite_views_the_formats_or_an_estimate(tmp_path):
    with decimal.localcontext() as ctx:
        ctx.traps[decimal.FloatOperation] = True  # any float meeting a Decimal raises
        state(tmp_path, *demo_plan(), deal("won", "F", "2017-04-01", amount=1234.56),  # JSON numbers
              deal("won", "G", "2017-04-02", amount=0.1), deal("won", "H", "2017-04-03", amount=160000))
        outputs = [tally(tmp_path, "statement", "amy", "2017-Q2", "--format", f) for f in ("text", "json", "csv")]
        estimate = tally(tmp_path, "estimate", "amy", "--deal", "0.07", "--json")
    assert [o.exit_code for o in [*outputs, estimate]] == [0, 0, 0, 0]
    # 150,000 at 8 % = 12,000; 11,234.66 above quota at 12 % = 1,348.1592: 13,348.1592 -> 13,348.16
    assert json.loads(outputs[1].output)["total"] == "13348.16"
    assert json.loads(estimate.output)["pays"] == "0.01"  # 0.07 x 12 % = 0.0084: 13,348.1676 -> 13,348.17


def test_a_rep_paid_only_overlay_credit_is_known_in_every_quarter(tmp_path):
    state(tmp_path, *demo_plan(), deal("won", "A", "2017-04-01", amount="100",
                                       overlays=[{"rep_id": "sy", "share": "0.5"}]))
    other_quarter = tally(tmp_path, "statement", "sy", "2017-Q3", "--json")
    assert (other_quarter.exit_code, json.loads(other_quarter.output)["total"]) == (0, "0.00")


def test_text_dates_are_business_days_in_tally_tz_not_in_the_events_offset(tmp_path):
    state(tmp_path, *demo_plan(), deal("won", "L", "2017-06-30T21:00:00-05:00", amount="100"))  # 02:00 UTC, 1 July
    line = tally(tmp_path, "statement", "amy", "2017-Q3").output.splitlines()[1]
    assert line.split()[:2] == ["L", "2017-07-01"]
