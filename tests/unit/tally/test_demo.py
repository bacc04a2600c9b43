"""`tally ingest FILE.jsonl` through the embedded pipeline: counts of a run, raw dead letters."""
import base64
from pathlib import Path

import orjson
import pytest

from tally.bootstrap import embedded
from tally.demo import ingest_jsonl
from tally.settings import Settings

LATIN1_LINE = b'{"event_id": "x:z", "rep_id": "Jos\xe9"}'


def won(n: int, amount: str = "100") -> bytes:
    return orjson.dumps({"event_id": f"x:{n}:won", "type": "deal.won", "occurred_at": f"2017-05-0{n + 1}",
                         "source": "x", "deal_id": f"D{n}", "rep_id": "amy", "amount": amount})


@pytest.fixture
def nine_lines(tmp_path: Path) -> Path:
    """5 good events, a line that is not JSON, a tab in a rep_id, an event_id reused with
    other content, and a line that is not UTF-8."""
    tab = orjson.dumps({"event_id": "x:tab", "type": "deal.won", "occurred_at": "2017-05-01", "source": "x",
                        "deal_id": "DT", "rep_id": "a\tb", "amount": "1"})
    lines = [won(n) for n in range(5)] + [b"not json", tab, won(0, amount="999"), LATIN1_LINE]
    path = tmp_path / "nine.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n\n")
    return path


def run(tmp_path: Path, path: Path) -> dict:
    return ingest_jsonl(embedded(Settings.from_env(state=str(tmp_path / "state"))), path)


def test_a_runs_counts_add_up_and_state_totals_are_labelled(tmp_path, nine_lines):
    report = run(tmp_path, nine_lines)
    assert {k: report[k] for k in ("events_read", "events_ingested", "duplicates", "refused")} == {
        "events_read": 9, "events_ingested": 5, "duplicates": 0, "refused": 4}
    assert report["state"] == {"deals_won": 5, "won_revenue": "500.00", "dead_letters": 4}


def test_a_second_run_of_the_same_file_counts_duplicates_and_keeps_one_letter_each(tmp_path, nine_lines):
    run(tmp_path, nine_lines)
    again = run(tmp_path, nine_lines)
    assert (again["events_read"], again["events_ingested"], again["duplicates"], again["refused"]) == (9, 0, 5, 4)
    assert again["state"]["dead_letters"] == 4


def letters(tmp_path: Path) -> dict[str, dict]:
    app = embedded(Settings.from_env(state=str(tmp_path / "state")))
    return {d.reason: orjson.loads(d.payload) for d in app.door.dead_letters.all()}


def test_an_event_id_reused_with_other_content_is_kept_as_it_came_in(tmp_path, nine_lines):
    run(tmp_path, nine_lines)
    payload = letters(tmp_path)["'x:0:won' was already recorded with other content"]
    assert payload == orjson.loads(won(0, amount="999"))


def test_a_line_that_is_not_utf8_is_kept_byte_for_byte_and_names_the_byte(tmp_path, nine_lines):
    run(tmp_path, nine_lines)
    found = letters(tmp_path)
    offset = LATIN1_LINE.index(b"\xe9")
    reason = f"is not UTF-8 at byte {offset} (0xe9: invalid continuation byte)"
    assert base64.b64decode(found[reason]["bytes_base64"]) == LATIN1_LINE
    assert found[reason]["line"] == 9


def test_a_tab_in_a_name_is_reported_as_a_control_character(tmp_path, nine_lines):
    run(tmp_path, nine_lines)
    assert letters(tmp_path)["contains a control character (U+0009)"]["rep_id"] == "a\tb"


def test_a_bad_event_nested_a_thousand_deep_is_a_dead_letter_and_the_events_around_it_land(tmp_path):
    deep = b'{"event_id": "x:deep", "type": "deal.won", "amount": "x", "extra": ' + b"[" * 999 + b"]" * 999 + b"}"
    path = tmp_path / "deep.jsonl"
    path.write_bytes(b"\n".join([won(0), deep, won(1)]) + b"\n")
    report = run(tmp_path, path)
    assert (report["events_ingested"], report["refused"], report["state"]["won_revenue"]) == (2, 1, "200.00")
    assert letters(tmp_path)["nests objects and arrays more than 64 deep"] == {"line": 2, "text": deep.decode()}
