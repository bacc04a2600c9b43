from typing import Any

import orjson
import pytest
from gateway_fakes import Client, FakeReader, expected_board

from gateway.exceptions import ViewsUnavailable
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


def test_ping_gets_a_live_pong(hub: "Hub[Session]") -> None:
    assert ask(Session(hub), op="ping") == [{"type": "pong", "live": True}]


def test_ping_says_not_live_while_the_views_are_out_of_reach(hub: "Hub[Session]") -> None:
    hub.outage = "redis is down"
    assert ask(Session(hub), op="ping") == [{"type": "pong", "live": False}]


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


def churn(session: Session, names: list[str]) -> list[dict[str, Any]]:
    """Subscribes to each name and leaves it at once; the replies that were errors."""
    errors = []
    for name in names:
        errors += [reply for reply in ask(session, op="subscribe", channel=name) if reply["type"] == "error"]
        ask(session, op="unsubscribe", channel=name)
    return errors


def reps(reader: FakeReader, count: int) -> list[str]:
    """Channels of `count` reps the views hold (cheaper to check than as many regions)."""
    reader.summaries.update((f"x{n}", {"rep": f"x{n}"}) for n in range(count))
    return [f"rep:x{n}" for n in range(count)]


def test_channels_a_client_left_count_against_it_until_they_expire(reader: FakeReader) -> None:
    hub: Hub[Session] = Hub(reader, linger_ticks=2)
    session = Session(hub, max_channels=3)
    assert churn(session, reps(reader, 3)) == []
    [refused] = churn(session, reps(reader, 4)[3:])
    assert "already holding 3 channels" in refused["reason"]
    assert refused["channel"] == reps(reader, 4)[3]
    assert ask(session, op="ping") == [{"type": "pong", "live": True}]
    for _ in range(3):
        hub.tick()
    assert churn(session, reps(reader, 4)[3:]) == []


def test_subscribing_again_to_a_channel_it_left_is_not_one_more(hub: "Hub[Session]", reader: FakeReader) -> None:
    session = Session(hub, max_channels=2)
    churn(session, reps(reader, 2))
    [reply] = ask(session, op="subscribe", channel=reps(reader, 2)[0])
    assert reply["type"] == "snapshot"


def test_a_channel_left_stops_counting_when_another_client_watches_it(
        hub: "Hub[Session]", reader: FakeReader) -> None:
    leaving, staying = Session(hub, max_channels=1), Session(hub)
    churn(leaving, reps(reader, 1))
    ask(staying, op="subscribe", channel=reps(reader, 1)[0])
    assert churn(leaving, reps(reader, 2)[1:]) == []


def test_the_qa_churn_is_refused_and_a_tick_rereads_only_what_the_client_holds(reader: FakeReader) -> None:
    hub: Hub[Session] = Hub(reader)
    session = Session(hub)
    names = reps(reader, 5000)
    errors = churn(session, names)
    assert len(errors) == 5000 - 64
    assert hub.channel_count == 64
    reads = reader.reads
    for name in names:
        hub.changed("rep", {"rep": name.removeprefix("rep:")})
    hub.tick()
    assert reader.reads == reads + 64
    assert ask(session, op="ping") == [{"type": "pong", "live": True}]


def test_a_full_hub_answers_an_error_and_keeps_the_connection(reader: FakeReader) -> None:
    hub: Hub[Session] = Hub(reader, max_channels=1)
    ask(Session(hub), op="subscribe", channel=BOARD)
    late = Session(hub)
    [refused] = ask(late, op="subscribe", channel=reps(reader, 1)[0])
    assert refused["type"] == "error"
    assert "limit of 1 channels" in refused["reason"]
    assert ask(late, op="ping") == [{"type": "pong", "live": True}]
    assert ask(late, op="subscribe", channel=BOARD)[0]["type"] == "snapshot"


def test_a_channel_name_with_a_newline_gets_an_error(hub: "Hub[Session]") -> None:
    [reply] = ask(Session(hub), op="subscribe", channel="board:revenue:2017\n:company")
    assert reply["type"] == "error"
    assert "control character" in reply["reason"]
    assert hub.channel_count == 0


@pytest.mark.parametrize("name", ["rep:hog1-1", "board:revenue:2017-Q2:region:Nowhere",
                                  "milestones:manager:Nobody", "board:revenue:1999-Q1:company"])
def test_a_channel_the_views_do_not_hold_gets_an_error_and_the_connection_goes_on(
        hub: "Hub[Session]", name: str) -> None:
    session = Session(hub)
    [refused] = ask(session, op="subscribe", channel=name)
    assert (refused["type"], refused["channel"]) == ("error", name)
    assert refused["reason"].startswith("no ")
    assert hub.channel_count == 0
    assert ask(session, op="subscribe", channel=BOARD)[0]["type"] == "snapshot"


def test_the_hog_attack_leaves_every_slot_free(reader: FakeReader) -> None:
    hub: Hub[Session] = Hub(reader, max_channels=64)
    for n in range(70):
        assert len(churn(Session(hub), [f"rep:hog{n}-{i}" for i in range(64)])) == 64
    assert hub.channel_count == 0
    assert ask(Session(hub), op="subscribe", channel=BOARD)[0]["type"] == "snapshot"


def test_a_subscribe_while_the_views_are_out_of_reach_gets_an_error_saying_so(
        hub: "Hub[Session]", reader: FakeReader) -> None:
    session = Session(hub)
    reader.down = ViewsUnavailable("a store is out of reach (ConnectionError: refused); try again shortly")
    [refused] = ask(session, op="subscribe", channel=BOARD)
    assert (refused["type"], refused["channel"]) == ("error", BOARD)
    assert "out of reach" in refused["reason"]
    reader.down = None
    assert ask(session, op="subscribe", channel=BOARD)[0]["type"] == "snapshot"
