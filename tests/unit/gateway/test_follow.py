import pytest
from gateway_fakes import Client, FakeReader, expected_board

from gateway.follow import FeedFollower
from gateway.hub import Hub
from projections.changefeed import MemoryChangeFeed
from tests.helpers import FlakyFeed, Outage

BOARD = "board:deals:2017-05:company"
CHANGE = ("board", {"metric": "deals", "window": "2017-05"})


@pytest.fixture
def reader() -> FakeReader:
    reader = FakeReader()
    for rep in ("Ann", "Bob"):
        reader.hire(rep)
    reader.score("deals", "2017-05", "Ann", "1")
    return reader


def watch(reader: FakeReader, feed: FlakyFeed) -> tuple["Hub[str]", FeedFollower, Client]:
    hub: Hub[str] = Hub(reader)
    follower = FeedFollower(feed, hub, outages=(Outage,))
    follower.poll()
    hub.tick()
    client = Client()
    client.take(hub.subscribe("tv", BOARD)[0])
    return hub, follower, client


def step(hub: "Hub[str]", follower: FeedFollower, client: Client) -> list[str]:
    """One tick of the shell; the types of the messages the client took."""
    follower.poll()
    return [client.take(out.message)["type"] for out in hub.tick()]


def test_a_feed_out_of_reach_is_an_outage_of_the_hub_not_an_error(reader: FakeReader) -> None:
    feed = FlakyFeed(MemoryChangeFeed())
    hub, follower, _ = watch(reader, feed)
    feed.down = True
    assert follower.poll() is False
    assert hub.outage is not None and "Connection refused" in hub.outage


def test_a_feed_back_at_the_same_epoch_goes_on_with_deltas(reader: FakeReader) -> None:
    feed = FlakyFeed(MemoryChangeFeed())
    feed.publish([CHANGE])
    hub, follower, client = watch(reader, feed)
    feed.down = True
    follower.poll()
    reader.score("deals", "2017-05", "Bob", "4", minute=4)
    feed.publish([CHANGE])
    feed.down = False
    assert step(hub, follower, client) == ["delta"]
    assert client.view == expected_board(reader, "deals", "2017-05", "company")
    assert (follower.epoch, follower.after) == (feed.feed.epoch, 2)


def test_a_feed_back_with_another_epoch_sends_a_fresh_snapshot(reader: FakeReader) -> None:
    feed = FlakyFeed(MemoryChangeFeed())
    feed.publish([CHANGE])
    hub, follower, client = watch(reader, feed)
    old_epoch = client.epoch
    feed.feed = MemoryChangeFeed()
    feed.publish([CHANGE] * 3)
    assert step(hub, follower, client) == ["snapshot"]
    assert client.epoch == hub.epoch != old_epoch
    assert (follower.epoch, follower.after) == (feed.feed.epoch, 3)


def test_an_offset_trimmed_from_the_feed_sends_a_fresh_snapshot(reader: FakeReader) -> None:
    feed = FlakyFeed(MemoryChangeFeed())
    feed.feed = MemoryChangeFeed(retain=2)
    feed.publish([CHANGE])
    hub, follower, client = watch(reader, feed)
    feed.publish([CHANGE] * 5)
    assert step(hub, follower, client) == ["snapshot"]
