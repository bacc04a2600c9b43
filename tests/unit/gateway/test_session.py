from typing import Any

import orjson
import pytest
from gateway_fakes import Client, FakeReader, expected_board

from gateway.hub import Hub
from gateway.session import Session

BOARD = "board:revenue:2017-Q2:company"


@pytest.fixture
def reader() -> FakeReader:
    reader = FakeReader()
    for rep, region in (("Ann", "West"), ("Bob", "West"), ("Cy", "East"), ("Di", "East")):
        reader.hire(rep, region=region)
    reader.score("revenue", "2017-Q2", "Ann", "500.00", minute=1)
    reader.score("revenue", "2017-Q2", "Bob", "300.00", minute=2)
    return reader


@pytest.fixture
def hub(reader: FakeReader) -> "Hub[Session]":
    return Hub(reader, history=4)


def ask(session: Session, **request: Any) -> list[dict[str, Any]]:
    return [orjson.loads(reply) for reply in session.receive(orjson.dumps(request))]


def deltas_of(hub: "Hub[Session]", session: Session) -> list[bytes]:
    return [out.message for out in hub.tick() if session in out.subscribers]


def changed_board(hub: "Hub[Session]") -> None:
    hub.changed("board", {"metric": "revenue", "window": "2017-Q2"})


def test_subscribe_answers_a_snapshot_of_the_board_with_money_as_strings(
        hub: "Hub[Session]", reader: FakeReader) -> None:
    [snapshot] = ask(Session(hub), op="subscribe", channel=BOARD)
    assert (snapshot["type"], snapshot["channel"], snapshot["epoch"]) == ("snapshot", BOARD, hub.epoch)
    assert snapshot["data"] == expected_board(reader, "revenue", "2017-Q2", "company")
    assert snapshot["data"][0]["score"] == "500.00"


def test_many_changes_between_ticks_make_one_delta(hub: "Hub[Session]", reader: FakeReader) -> None:
    session, client = Session(hub), Client()
    client.take(session.receive(orjson.dumps({"op": "subscribe", "channel": BOARD}))[0])
    for minute, value in enumerate(("350.00", "600.00", "900.00"), start=3):
        reader.score("revenue", "2017-Q2", "Bob", value, minute=minute)
        changed_board(hub)
    [delta] = deltas_of(hub, session)
    client.take(delta)
    assert client.view == expected_board(reader, "revenue", "2017-Q2", "company")
    assert deltas_of(hub, session) == []


def test_applying_deltas_to_the_snapshot_reproduces_the_board_exactly(
        hub: "Hub[Session]", reader: FakeReader) -> None:
    session, client = Session(hub), Client()
    client.take(session.receive(orjson.dumps({"op": "subscribe", "channel": BOARD}))[0])
    steps = [("Cy", "500.00", 3), ("Di", "500.00", 0), ("Ann", "0", 4), ("Bob", "-20.00", 5),
             ("Ann", "500.00", 6), ("Cy", "800.00", 7)]  # ties by time, zero and negative rows
    for rep, value, minute in steps:
        reader.score("revenue", "2017-Q2", rep, value, minute=minute)
        changed_board(hub)
        for delta in deltas_of(hub, session):
            client.take(delta)
        assert client.view == expected_board(reader, "revenue", "2017-Q2", "company")


def test_resume_within_history_gives_exactly_the_missed_deltas(
        hub: "Hub[Session]", reader: FakeReader) -> None:
    watcher, client = Session(hub), Client()
    client.take(watcher.receive(orjson.dumps({"op": "subscribe", "channel": BOARD}))[0])
    missed = []
    for minute, value in enumerate(("700.00", "800.00"), start=3):
        reader.score("revenue", "2017-Q2", "Bob", value, minute=minute)
        changed_board(hub)
        missed += deltas_of(hub, watcher)
    resume = {"epoch": client.epoch, "offset": client.offset}
    replies = Session(hub).receive(orjson.dumps({"op": "subscribe", "channel": BOARD, "resume": resume}))
    assert replies == missed
    for reply in replies:
        client.take(reply)
    assert client.view == expected_board(reader, "revenue", "2017-Q2", "company")


def test_resume_older_than_history_gets_a_fresh_snapshot(hub: "Hub[Session]", reader: FakeReader) -> None:
    [first] = ask(Session(hub), op="subscribe", channel=BOARD)
    for minute in range(3, 9):  # history keeps 4 deltas
        reader.score("revenue", "2017-Q2", "Cy", f"{minute}00.00", minute=minute)
        changed_board(hub)
        hub.tick()
    resume = {"epoch": first["epoch"], "offset": first["offset"]}
    [reply] = ask(Session(hub), op="subscribe", channel=BOARD, resume=resume)
    assert reply["type"] == "snapshot"
    assert reply["data"] == expected_board(reader, "revenue", "2017-Q2", "company")


def test_resume_from_another_epoch_gets_a_fresh_snapshot(hub: "Hub[Session]") -> None:
    [reply] = ask(Session(hub), op="subscribe", channel=BOARD, resume={"epoch": "old", "offset": 1})
    assert reply["type"] == "snapshot"


@pytest.mark.parametrize("request_, complaint", [
    ({"op": "subscribe", "channel": "board:margin:2017-Q2:company"}, "metric 'margin'"),
    ({"op": "subscribe"}, "needs a 'channel'"),
    ({"op": "subscribe", "channel": BOARD, "resume": {"epoch": "e"}}, "resume must be"),
    ({"op": "shout"}, "op 'shout'"),
    ([1, 2], "not a JSON object"),
])
def test_a_bad_request_gets_an_error_naming_the_reason(
        hub: "Hub[Session]", request_: Any, complaint: str) -> None:
    [reply] = [orjson.loads(r) for r in Session(hub).receive(orjson.dumps(request_))]
    assert reply["type"] == "error"
    assert complaint in reply["reason"]


def test_a_message_that_is_not_json_gets_an_error(hub: "Hub[Session]") -> None:
    [reply] = [orjson.loads(r) for r in Session(hub).receive(b"{nope")]
    assert reply == {"type": "error", "reason": "message is not JSON"}


def test_ping_gets_pong(hub: "Hub[Session]") -> None:
    assert ask(Session(hub), op="ping") == [{"type": "pong"}]


def test_no_deltas_after_unsubscribe_or_close(hub: "Hub[Session]", reader: FakeReader) -> None:
    leaving, closing = Session(hub), Session(hub)
    for session in (leaving, closing):
        ask(session, op="subscribe", channel=BOARD)
    assert ask(leaving, op="unsubscribe", channel=BOARD) == []
    closing.close()
    reader.score("revenue", "2017-Q2", "Cy", "999.00", minute=9)
    changed_board(hub)
    assert [out for out in hub.tick() if {leaving, closing} & out.subscribers] == []
    assert ask(closing, op="ping") == []


def test_a_rep_channel_delta_is_the_new_summary(hub: "Hub[Session]", reader: FakeReader) -> None:
    reader.summaries["Ann Lee"] = {"rep": "Ann Lee", "region": "West", "revenue": {"2017-Q2": "10.00"}}
    session, client = Session(hub), Client()
    client.take(session.receive(orjson.dumps({"op": "subscribe", "channel": "rep:Ann Lee"}))[0])
    reader.summaries["Ann Lee"] = {"rep": "Ann Lee", "region": "East", "revenue": {"2017-Q2": "25.00"}}
    hub.changed("rep", {"rep": "Ann Lee"})
    [delta] = deltas_of(hub, session)
    assert client.take(delta)["data"] == reader.summaries["Ann Lee"]


def test_a_milestones_delta_carries_new_and_revoked_entries(hub: "Hub[Session]", reader: FakeReader) -> None:
    def milestone(key: str, rep: str, region: str) -> dict[str, Any]:
        return {"key": key, "kind": "big-deal", "status": "fired", "rep": rep, "region": region,
                "manager": None, "period": "2017-Q2", "deal_id": key, "value": "9000.00",
                "at": "2017-05-02T10:00:00+00:00"}
    reader.milestone_rows = [milestone("d1", "Ann", "West")]
    session, client = Session(hub), Client(key="key")
    client.take(session.receive(orjson.dumps({"op": "subscribe", "channel": "milestones:region:West"}))[0])
    reader.milestone_rows = [milestone("d2", "Bob", "West"), milestone("d3", "Cy", "East")]
    hub.changed("milestone", {**milestone("d2", "Bob", "West"), "status": "fired"})
    hub.changed("milestone", {**milestone("d1", "Ann", "West"), "status": "revoked"})
    [delta] = deltas_of(hub, session)
    client.take(delta)
    assert client.view == [milestone("d2", "Bob", "West")]
