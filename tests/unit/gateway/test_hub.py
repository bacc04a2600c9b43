import orjson
import pytest
from gateway_fakes import Client, FakeReader, expected_board

from gateway.hub import Hub

BOARD = "board:deals:2017-05:company"


@pytest.fixture
def reader() -> FakeReader:
    reader = FakeReader()
    for rep in ("Ann", "Bob", "Cy"):
        reader.hire(rep)
    return reader


def test_a_burst_of_changes_costs_one_read_per_tick(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    hub.subscribe("tv", BOARD)
    reads = reader.board_reads
    for n in range(1, 101):
        reader.score("deals", "2017-05", "Ann", str(n), minute=n)
        hub.changed("board", {"metric": "deals", "window": "2017-05"})
    assert len(hub.tick()) == 1
    assert reader.board_reads == reads + 1


def test_changes_to_other_boards_do_not_reread(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    hub.subscribe("tv", BOARD)
    reads = reader.board_reads
    hub.changed("board", {"metric": "deals", "window": "2017-06"})
    hub.changed("board", {"metric": "revenue", "window": "2017-05"})
    hub.changed("rep", {"rep": "Ann"})
    assert hub.tick() == []
    assert reader.board_reads == reads


def test_reload_rereads_every_live_channel_without_a_feed_message(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    client = Client()
    client.take(hub.subscribe("tv", BOARD)[0])
    reader.score("deals", "2017-05", "Cy", "4", minute=1)
    hub.reload()
    [out] = hub.tick()
    client.take(out.message)
    assert client.view == expected_board(reader, "deals", "2017-05", "company")


def test_deltas_chain_offsets_upwards(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    offsets = [orjson.loads(hub.subscribe("tv", BOARD)[0])["offset"]]
    for n in range(1, 4):
        reader.score("deals", "2017-05", "Bob", str(n), minute=n)
        hub.changed("board", {"metric": "deals", "window": "2017-05"})
        [out] = hub.tick()
        delta = orjson.loads(out.message)
        assert delta["prev"] == offsets[-1]
        offsets.append(delta["offset"])
    assert offsets == sorted(set(offsets))


def test_a_lingering_channel_still_resumes_but_a_dropped_one_needs_a_snapshot(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader, linger_ticks=2)
    first = orjson.loads(hub.subscribe("tv", BOARD)[0])
    hub.unsubscribe("tv", BOARD)
    hub.tick()
    hub.tick()
    resume = (first["epoch"], first["offset"])
    assert hub.subscribe("tv", BOARD, resume) == []
    hub.unsubscribe("tv", BOARD)
    for _ in range(3):
        hub.tick()
    assert hub.channel_count == 0
    [again] = [orjson.loads(m) for m in hub.subscribe("tv", BOARD, resume)]
    assert again["type"] == "snapshot"
    assert again["offset"] > first["offset"]


def test_each_hub_has_its_own_epoch(reader: FakeReader) -> None:
    assert Hub(reader).epoch != Hub(reader).epoch


def test_history_must_keep_at_least_one_delta(reader: FakeReader) -> None:
    with pytest.raises(ValueError, match="history"):
        Hub(reader, history=0)
