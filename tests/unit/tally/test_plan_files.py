"""tally plan publish: idempotent, versions only forward in time, one-line refusals (exit 2)."""
import decimal
from pathlib import Path

import pytest

from tests.helpers import deal
from tests.unit.tally.states import state, tally

PLAN = """plan_id = "ent"
effective_from = 2017-01-01
quota = "1000"
[[tiers]]
floor = "0"
rate = 0.1
[[assign]]
scope = "company"
effective_from = 2017-01-01
"""


def write(tmp_path: Path, text: str | bytes, name: str = "plan.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def publish(tmp_path: Path, text: str | bytes):  # type: ignore[no-untyped-def]
    return tally(tmp_path / "state", "plan", "publish", str(write(tmp_path, text)))


def test_publishing_the_same_file_again_publishes_nothing(tmp_path):
    first, again = publish(tmp_path, PLAN), publish(tmp_path, PLAN)
    assert "version 1: 2 new fact(s)" in first.output
    assert (again.exit_code, "version 1: nothing new" in again.output) == (0, True)


def test_an_edited_file_with_a_later_effective_from_publishes_the_next_version(tmp_path):
    publish(tmp_path, PLAN)
    edited = PLAN.replace("rate = 0.1", "rate = 0.2").replace("effective_from = 2017-01-01\nquota",
                                                              "effective_from = 2017-04-01\nquota")
    assert "version 2: 1 new fact(s)" in publish(tmp_path, edited).output
    app = state(tmp_path / "state", deal("won", "A", "2017-02-01", amount="1000"),
                deal("won", "B", "2017-05-01", amount="1000"))
    q1, q2 = app.reader.statement("amy", "2017-Q1"), app.reader.statement("amy", "2017-Q2")
    assert (q1["plan_version"], q1["total"], q2["plan_version"], q2["total"]) == (1, "100.00", 2, "200.00")


def test_an_edited_file_that_does_not_take_effect_later_is_refused_and_nothing_is_written(tmp_path):
    publish(tmp_path, PLAN)
    app = state(tmp_path / "state")
    before = app.ledger.recorder.max_notification_id()
    result = publish(tmp_path, PLAN.replace("rate = 0.1", "rate = 0.2"))
    assert result.exit_code == 2
    assert "effective_from: " in result.output and "must take effect after version 1 (effective 2017-01-01)" in result.output
    assert app.ledger.recorder.max_notification_id() == before


def test_an_assignment_whose_end_changed_is_refused_with_how_to_end_it(tmp_path):
    publish(tmp_path, PLAN)
    result = publish(tmp_path, PLAN + "effective_to = 2018-01-01\n")
    assert result.exit_code == 2
    assert "assign[0]: plan 'ent' is already assigned to company from 2017-01-01 with no end" in result.output
    assert "never rewritten" in result.output and "assign another plan to company from the end date" in result.output


@pytest.mark.parametrize("text, words", [
    ("plan_id = \"ent\"\neffective_from = \n", "is not valid TOML (Invalid value (at line 2, column 18))"),
    (b"plan_id = \"\xff\"\n", "is not UTF-8 text"),
    (PLAN.replace("rate = 0.1\n", ""), "tiers[0].rate: is missing"),
    ("plan_id = \"ent\"\neffective_from = 2017-01-01\ntiers = \"abc\"\n", "tiers: must be a list of [floor, rate]"),
    (PLAN.replace("effective_from = 2017-01-01\nquota", "quota"), "effective_from: is missing"),
    (PLAN.replace('plan_id = "ent"', 'plan_id = ""'), "plan_id: must be a non-empty string"),
    (PLAN.replace('quota = "1000"', "quota = nan"), "quota: NaN is not a finite number"),
    (PLAN.replace('quota = "1000"', "quota = 1e400"), "quota: 1E+400 is 10 trillion or more"),
    (PLAN.replace('quota = "1000"', "quota = 100.123456789"), "quota: 100.123456789 has more than 2 decimal places"),
    (PLAN.replace('quota = "1000"', 'gate = "false"'), "gate: must be true or false, got 'false'"),
    (PLAN.replace('scope = "company"', 'scope = "team:x"'), "assign[0].scope: 'team:x' is not company"),
])
def test_a_bad_file_is_refused_in_one_line_naming_the_file_and_the_field(tmp_path, text, words):
    result = publish(tmp_path, text)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {tmp_path / 'plan.toml'}: ")
    assert words in result.output and result.output.count("\n") == 1


def test_a_toml_float_rate_is_read_exactly_and_never_as_a_float(tmp_path):
    with decimal.localcontext() as ctx:
        ctx.traps[decimal.FloatOperation] = True  # a float meeting a Decimal raises
        assert publish(tmp_path, PLAN.replace("rate = 0.1", "rate = 0.07")).exit_code == 0
        app = state(tmp_path / "state", deal("won", "A", "2017-02-01", amount="1000"))
        line = app.reader.statement("amy", "2017-Q1")["lines"][0]
    assert (line["rate"], line["amount"]) == ("0.07", "70.00")  # as a float 0.07 x 1,000 is 70.00000000000001


BO = '[[assign]]\nscope = "rep:bo"\neffective_from = 2017-04-01\n'


def test_a_publish_that_loses_the_race_for_its_version_writes_nothing_and_exits_2(tmp_path, monkeypatch):
    from tally.plan_files import plan_events

    publish(tmp_path, PLAN)
    later = PLAN.replace("effective_from = 2017-01-01\nquota", "effective_from = 2017-04-01\nquota")
    mine = write(tmp_path, later.replace("rate = 0.1", "rate = 0.3") + BO, "mine.toml")
    app = state(tmp_path / "state")
    stale = plan_events(mine, app.ledger)  # read while version 1 is the latest: this file is version 2
    assert "version 2: 1 new fact(s)" in publish(tmp_path, later.replace("rate = 0.1", "rate = 0.2")).output
    before = app.ledger.recorder.max_notification_id()
    monkeypatch.setattr("tally.plan_publish.plan_events", lambda path, ledger: stale)
    result = tally(tmp_path / "state", "plan", "publish", str(mine))
    assert result.exit_code == 2 and "Nothing from this file was written" in result.output
    assert app.ledger.recorder.max_notification_id() == before  # neither the terms nor the assignment


def test_two_assignments_for_one_scope_and_start_are_refused_before_anything_is_written(tmp_path):
    twice = PLAN + 'effective_to = 2018-01-01\n[[assign]]\nscope = "company"\neffective_from = 2017-01-01\n'
    result = publish(tmp_path, twice)
    assert result.exit_code == 2
    assert "assign[1]: assigns 'ent' to company from 2017-01-01 again (as assign[0] does)" in result.output
    assert not state(tmp_path / "state").ledger.recorder.max_notification_id()  # nothing written


def test_a_plan_id_with_surrounding_spaces_is_read_stripped_as_the_door_reads_it(tmp_path):
    spaced = PLAN.replace('plan_id = "ent"', 'plan_id = " ent "')
    assert "plan ent version 1: 2 new fact(s)" in publish(tmp_path, spaced).output
    assert "plan ent version 1: nothing new" in publish(tmp_path, spaced).output


@pytest.mark.parametrize("text, words", [
    (PLAN.replace('quota = "1000"', 'minimun = "500"'), "minimun: unknown key(s); a plan file holds only plan_id"),
    (PLAN.replace('quota = "1000"', 'qouta = "1000"\nmethd = "marginal"'), "methd, qouta: unknown key(s)"),
    (PLAN.replace("rate = 0.1\n", "rate = 0.1\n[tiers.extra]\nfloor = 1\n"),
     "tiers[0].extra: unknown key(s); tiers[0] holds only floor, rate"),
    (PLAN + "efective_to = 2018-01-01\n", "assign[0].efective_to: unknown key(s)"),
])
def test_an_unknown_key_is_refused_naming_it_before_anything_is_written(tmp_path, text, words):
    result = publish(tmp_path, text)
    assert (result.exit_code, words in result.output) == (2, True), result.output
    assert not state(tmp_path / "state").ledger.recorder.max_notification_id()  # nothing written
