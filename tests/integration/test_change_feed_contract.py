"""One suite, every change feed: the in-memory reference and Redis Streams must agree."""
import pytest

from projections.changefeed import FeedGap, MemoryChangeFeed
from projections.redis_feed import RedisChangeFeed


@pytest.fixture(params=["memory", "redis"])
def make_feed(request, redis_client, redis_prefix):
    """Makes a feed retaining about `retain` messages; a second call recreates the feed
    (Redis: the namespace comes back empty, as after a restart without persistence)."""
    def make(retain: int = 1000):
        if request.param == "memory":
            return MemoryChangeFeed(retain=retain)
        for key in redis_client.scan_iter(match=f"{{{redis_prefix}}}*"):
            redis_client.delete(key)
        return RedisChangeFeed(redis_client, prefix=redis_prefix, maxlen=retain)
    return make


def board(n: int) -> tuple[str, dict]:
    return ("board", {"metric": "revenue", "window": f"2017-Q{n % 4 + 1}", "n": n})


def test_messages_come_back_in_order_with_offsets_rising_by_one(make_feed):
    feed = make_feed()
    assert feed.last_offset() == 0 and feed.read(feed.epoch, 0) == []
    assert feed.publish([board(1), board(2)]) == 2
    assert feed.publish([("milestone", {"key": "first-deal:amy"})]) == 3
    changes = feed.read(feed.epoch, 0)
    assert [(c.offset, c.kind, c.data) for c in changes] == [
        (1, "board", board(1)[1]), (2, "board", board(2)[1]), (3, "milestone", {"key": "first-deal:amy"})]
    assert feed.last_offset() == 3


def test_reading_resumes_after_an_offset_and_honours_the_limit(make_feed):
    feed = make_feed()
    feed.publish([board(n) for n in range(10)])
    assert [c.offset for c in feed.read(feed.epoch, 4, limit=3)] == [5, 6, 7]
    assert feed.read(feed.epoch, 10) == []


def test_an_offset_trimmed_away_is_a_gap_while_recent_ones_still_read(make_feed):
    feed = make_feed(retain=10)
    for start in range(0, 500, 50):
        feed.publish([board(n) for n in range(start, start + 50)])
    with pytest.raises(FeedGap):
        feed.read(feed.epoch, 0)
    assert [c.offset for c in feed.read(feed.epoch, 495)] == [496, 497, 498, 499, 500]


def test_a_recreated_feed_has_a_new_epoch_and_the_old_one_is_a_gap(make_feed):
    feed = make_feed()
    feed.publish([board(1)])
    old = feed.epoch
    feed = make_feed()
    feed.publish([board(2)])
    assert feed.epoch != old
    with pytest.raises(FeedGap):
        feed.read(old, 1)
    assert [c.data for c in feed.read(feed.epoch, 0)] == [board(2)[1]]
