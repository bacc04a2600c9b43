import orjson
import pytest
from gateway_fakes import Client, FakeReader, expected_board

from gateway.exceptions import ChannelsFull, UnknownChannel, ViewsUnavailable
from gateway.hub import Hub

BOARD = "board:deals:2017-05:company"
REGIONS = [f"board:deals:2017-05:region:r{n}" for n in range(10)]  # one topic, ten scopes


@pytest.fixture
def reader() -> FakeReader:
    reader = FakeReader()
    for rep in ("Ann", "Bob", "Cy"):
        reader.hire(rep)
    for n in range(10):
        reader.hire(f"rep {n}", region=f"r{n}")
    reader.score("deals", "2017-05", "Ann", "1")  # so that the window holds data
    return reader


def linger(hub: "Hub[str]", *names: str) -> None:
    """Opens each channel and leaves it at once, so that it lingers."""
    for name in names:
        hub.subscribe("passer-by", name)
        hub.unsubscribe("passer-by", name)


def resumes(hub: "Hub[str]", name: str, snapshot: bytes) -> bool:
    first = orjson.loads(snapshot)
    replies = hub.subscribe("returning", name, (first["epoch"], first["offset"]))
    return replies == []


def score_every_region(reader: FakeReader, value: str) -> None:
    for n in range(10):
        reader.score("deals", "2017-05", f"rep {n}", value, minute=int(value))


def test_a_burst_of_changes_costs_one_read_per_tick(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    hub.subscribe("tv", BOARD)
    reads = reader.reads
    for n in range(1, 101):
        reader.score("deals", "2017-05", "Ann", str(n), minute=n)
        hub.changed("board", {"metric": "deals", "window": "2017-05"})
    assert len(hub.tick()) == 1
    assert reader.reads == reads + 1


def test_changes_to_other_boards_do_not_reread(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    hub.subscribe("tv", BOARD)
    reads = reader.reads
    hub.changed("board", {"metric": "deals", "window": "2017-06"})
    hub.changed("board", {"metric": "revenue", "window": "2017-05"})
    hub.changed("rep", {"rep": "Ann"})
    assert hub.tick() == []
    assert reader.reads == reads


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


def test_opening_a_channel_past_the_limit_drops_the_longest_lingering_one(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader, max_channels=3)
    snapshots = {name: hub.subscribe("tv", name)[0] for name in REGIONS[:3]}
    for name in REGIONS[:3]:
        hub.unsubscribe("tv", name)
    hub.subscribe("tv", REGIONS[1])  # watched again, so no longer lingering
    hub.subscribe("tv", REGIONS[3])
    assert (hub.channel_count, hub.left("tv")) == (3, {REGIONS[2]})
    assert not resumes(hub, REGIONS[0], snapshots[REGIONS[0]])  # dropped: a fresh snapshot


def test_a_new_channel_is_refused_when_every_slot_is_watched(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader, max_channels=2)
    hub.subscribe("tv", REGIONS[0])
    hub.subscribe("tv", REGIONS[1])
    with pytest.raises(ChannelsFull, match="limit of 2 channels"):
        hub.subscribe("tv", REGIONS[2])
    assert hub.channel_count == 2
    assert orjson.loads(hub.subscribe("phone", REGIONS[0])[0])["type"] == "snapshot"


@pytest.mark.parametrize("name, error", [("board:margin:2017-05:company", ValueError),
                                         ("rep:nobody", UnknownChannel)])
def test_a_bad_or_unknown_name_drops_no_lingering_channel(
        reader: FakeReader, name: str, error: type[Exception]) -> None:
    hub: Hub[str] = Hub(reader, max_channels=1)
    linger(hub, BOARD)
    with pytest.raises(error):
        hub.subscribe("tv", name)
    assert hub.lingering_count == 1


def test_a_channel_left_counts_for_its_last_subscriber_until_it_expires(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader, linger_ticks=1)
    hub.subscribe("tv", BOARD)
    hub.subscribe("phone", BOARD)
    hub.unsubscribe("phone", BOARD)
    hub.unsubscribe("tv", BOARD)
    assert (hub.left("tv"), hub.left("phone")) == ({BOARD}, set())
    hub.tick()
    hub.tick()
    assert (hub.left("tv"), hub.channel_count) == (set(), 0)


def test_a_channel_left_stops_counting_once_someone_watches_it(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    linger(hub, BOARD)
    hub.subscribe("tv", BOARD)
    assert hub.left("passer-by") == set()


def test_a_tick_reads_at_most_its_budget_and_later_ticks_read_the_rest(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader, reads_per_tick=4)
    clients = {name: Client() for name in REGIONS}
    for name, client in clients.items():
        client.take(hub.subscribe("tv", name)[0])
    score_every_region(reader, "7")
    hub.changed("board", {"metric": "deals", "window": "2017-05"})
    reads = reader.reads
    per_tick: list[int] = []
    while hub.stale_count or not per_tick:
        outs = hub.tick()
        per_tick.append(len(outs))
        for out in outs:
            clients[out.channel].take(out.message)
    assert per_tick == [4, 4, 2]
    assert reader.reads == reads + len(REGIONS)
    for n, name in enumerate(REGIONS):
        assert clients[name].view == expected_board(reader, "deals", "2017-05", f"region:r{n}")


def test_watched_channels_are_read_before_lingering_ones(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader, reads_per_tick=2)
    linger(hub, *REGIONS[:4])
    hub.subscribe("tv", REGIONS[4])
    hub.subscribe("tv", REGIONS[5])
    score_every_region(reader, "7")
    hub.changed("board", {"metric": "deals", "window": "2017-05"})
    assert {out.channel for out in hub.tick()} == set(REGIONS[4:6])
    assert hub.stale_count == 4


def test_a_lingering_channel_passed_over_still_gets_its_delta_once_watched_again(
        reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader, reads_per_tick=1)
    client, [snapshot] = Client(), hub.subscribe("phone", REGIONS[0])
    client.take(snapshot)
    hub.unsubscribe("phone", REGIONS[0])
    hub.subscribe("tv", REGIONS[1])
    score_every_region(reader, "7")
    hub.changed("board", {"metric": "deals", "window": "2017-05"})
    assert [out.channel for out in hub.tick()] == [REGIONS[1]]
    assert resumes(hub, REGIONS[0], snapshot)
    [out] = hub.tick()
    client.take(out.message)
    assert client.view == expected_board(reader, "deals", "2017-05", "region:r0")


def test_a_stale_channel_marked_again_keeps_its_turn(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader, reads_per_tick=1)
    for name in REGIONS[:2]:
        hub.subscribe("tv", name)
    served = []
    for value in ("1", "2", "3"):
        score_every_region(reader, value)
        hub.changed("board", {"metric": "deals", "window": "2017-05"})
        served += [out.channel for out in hub.tick()]
    assert served == [REGIONS[0], REGIONS[1], REGIONS[0]]


def test_a_churning_crowd_cannot_grow_the_hub_or_a_tick_past_their_limits(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader, max_channels=100, reads_per_tick=16)
    names = [f"hire {n}" for n in range(5000)]
    reader.summaries.update((name, {"rep": name}) for name in names)
    for n, name in enumerate(names):
        hub.subscribe(f"client {n % 50}", f"rep:{name}")
        hub.unsubscribe(f"client {n % 50}", f"rep:{name}")
    reads = reader.reads
    for name in names:
        hub.changed("rep", {"rep": name})
    hub.tick()
    assert hub.channel_count == 100
    assert reader.reads == reads + 16


@pytest.mark.parametrize("option", ["history", "max_channels", "reads_per_tick"])
def test_limits_must_be_at_least_one(reader: FakeReader, option: str) -> None:
    with pytest.raises(ValueError, match=f"{option} must be at least 1"):
        Hub(reader, **{option: 0})  # type: ignore[arg-type]


@pytest.mark.parametrize("name, reason", [
    ("rep:hog1-1", "no rep 'hog1-1'"),
    ("board:deals:2017-05:region:Nowhere", "no reps in region 'Nowhere'"),
    ("board:deals:2017-05:manager:Nobody", "no reps in manager 'Nobody'"),
    ("milestones:region:r1 ", "no reps in region 'r1 '"),
    ("board:deals:2016-01:company", "no deals scores in window '2016-01'"),
])
def test_a_channel_naming_what_the_views_do_not_hold_is_refused_without_a_slot(
        reader: FakeReader, name: str, reason: str) -> None:
    hub: Hub[str] = Hub(reader)
    with pytest.raises(UnknownChannel, match=reason):
        hub.subscribe("hog", name)
    assert hub.channel_count == 0


def test_all_time_and_the_company_open_before_any_score(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    for name in ("board:activity:all:company", "board:activity:all:region:r3", "milestones:company"):
        assert orjson.loads(hub.subscribe("tv", name)[0])["type"] == "snapshot"


def test_a_restart_sends_each_watched_channel_a_fresh_snapshot_under_a_new_epoch(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    old = orjson.loads(hub.subscribe("tv", BOARD)[0])
    reader.score("deals", "2017-05", "Cy", "9", minute=9)
    hub.restart()
    [out] = hub.tick()
    fresh = orjson.loads(out.message)
    assert (fresh["type"], out.subscribers) == ("snapshot", frozenset({"tv"}))
    assert fresh["epoch"] == hub.epoch != old["epoch"]
    assert fresh["offset"] > old["offset"]
    assert fresh["data"] == expected_board(reader, "deals", "2017-05", "company")


def test_a_restart_sends_a_snapshot_even_when_nothing_changed(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    hub.subscribe("tv", BOARD)
    hub.restart()
    assert [orjson.loads(out.message)["type"] for out in hub.tick()] == ["snapshot"]


def test_after_a_restart_a_resume_from_the_old_epoch_gets_a_snapshot(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    snapshot = hub.subscribe("tv", BOARD)[0]
    linger(hub, REGIONS[0])
    hub.restart()
    assert hub.channel_count == 1  # the lingering channel is dropped: nobody to tell
    assert not resumes(hub, BOARD, snapshot)


def test_a_read_out_of_reach_keeps_the_channel_stale_until_a_later_tick_reads_it(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    client = Client()
    client.take(hub.subscribe("tv", BOARD)[0])
    reader.score("deals", "2017-05", "Bob", "5", minute=5)
    hub.changed("board", {"metric": "deals", "window": "2017-05"})
    reader.down = ViewsUnavailable("redis is down")
    assert hub.tick() == []
    assert (hub.outage, hub.stale_count) == ("redis is down", 1)
    reader.down = None
    [out] = hub.tick()
    client.take(out.message)
    assert client.view == expected_board(reader, "deals", "2017-05", "company")
    assert hub.outage is None


class FailingAfter(FakeReader):
    """Views that go out of reach after `reads` more board reads."""

    def __init__(self, reads: int) -> None:
        super().__init__()
        self.left = reads

    def board(self, metric, window, scope):  # type: ignore[no-untyped-def]
        if self.left == 0:
            raise ViewsUnavailable("postgres is down")
        self.left -= 1
        return super().board(metric, window, scope)


def test_a_tick_cut_short_by_an_outage_sends_what_it_read_and_keeps_the_rest_stale() -> None:
    reader = FailingAfter(reads=1000)
    for n in range(3):
        reader.hire(f"rep {n}", region=f"r{n}")
    score_every_region(reader, "1")
    clients = {name: Client() for name in REGIONS[:3]}
    hub: Hub[str] = Hub(reader)
    for name, client in clients.items():
        client.take(hub.subscribe("tv", name)[0])
    score_every_region(reader, "7")
    hub.changed("board", {"metric": "deals", "window": "2017-05"})
    reader.left = 1
    [first] = hub.tick()
    clients[first.channel].take(first.message)
    assert hub.stale_count == 2
    reader.left = 1000
    for out in hub.tick():
        clients[out.channel].take(out.message)
    for n, name in enumerate(REGIONS[:3]):
        assert clients[name].view == expected_board(reader, "deals", "2017-05", f"region:r{n}")


def test_a_subscribe_while_the_views_are_out_of_reach_opens_nothing(reader: FakeReader) -> None:
    hub: Hub[str] = Hub(reader)
    reader.down = ViewsUnavailable("redis is down")
    with pytest.raises(ViewsUnavailable):
        hub.subscribe("tv", BOARD)
    assert hub.channel_count == 0
