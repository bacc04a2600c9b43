"""What the server stores promise beyond the contract: exact board order, all-or-nothing commits."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from eventsourcing.persistence import IntegrityError

from projections.postgres_store import PostgresViewStore
from projections.redis_store import PositionConflict, RedisViewStore
from projections.views import RepRow, ScoreRow, ViewChanges
from tally.servers import postgres_datastore, schema_turn

AT = datetime(2017, 5, 2, tzinfo=timezone.utc)


def scores(*rows: tuple[str, str, datetime, str]) -> ViewChanges:
    changes = ViewChanges()
    for rep, score, at, event in rows:
        changes.scores[("revenue", "all", rep)] = ScoreRow("revenue", "all", rep, Decimal(score), at, event)
    return changes


def test_a_redis_board_lists_reps_in_exact_rank_order_for_cents_in_the_billions(redis_client, redis_prefix):
    store = RedisViewStore(redis_client, prefix=redis_prefix)
    store.commit(scores(("amy", "98765432101.23", AT, "e2"), ("bo", "98765432101.24", AT, "e3"),
                        ("cy", "98765432101.23", AT - timedelta(seconds=1), "e9"),
                        ("di", "98765432101.23", AT, "e10")), 1)
    store.commit(scores(("bo", "98765432101.22", AT, "e4")), 2)
    assert [r.rep for r in store.score_rows("revenue", "all")] == ["cy", "di", "amy", "bo"]
    assert store.score_rows("revenue", "all")[3].score == Decimal("98765432101.22")


def test_a_redis_that_came_back_empty_refuses_the_next_commit_and_reads_position_zero(
        redis_client, redis_prefix):
    store = RedisViewStore(redis_client, prefix=redis_prefix)
    store.working_set()
    store.commit(scores(("amy", "10", AT, "e1")), 5)
    for key in redis_client.scan_iter(match=f"{{{redis_prefix}}}*"):
        redis_client.delete(key)
    later = scores(("bo", "20", AT, "e2"))
    later.reps["bo"] = RepRow("bo", None, None)
    with pytest.raises(PositionConflict):
        store.commit_and_publish(later, 6, [("board", {"metric": "revenue", "window": "all"})])
    assert store.position() == 0 and store.rep_rows() == [] and store.feed.last_offset() == 0


def test_redis_views_and_their_feed_messages_land_in_one_step(redis_client, redis_prefix):
    store = RedisViewStore(redis_client, prefix=redis_prefix)
    store.working_set()
    store.commit_and_publish(scores(("amy", "10", AT, "e1")), 3, [("board", {"metric": "revenue", "window": "all"})])
    assert store.position() == 3
    assert [(c.offset, c.kind) for c in store.feed.read(store.feed.epoch, 0)] == [(1, "board")]


def test_a_postgres_commit_at_a_position_already_applied_writes_nothing(server_settings):
    with schema_turn(server_settings):
        store = PostgresViewStore(postgres_datastore(server_settings))
    store.commit(scores(("amy", "10", AT, "e1")), 7)
    again = scores(("amy", "99", AT, "e1"))
    again.reps["zed"] = RepRow("zed", None, None)
    with pytest.raises(IntegrityError):
        store.commit(again, 7)
    assert store.position() == 7 and store.rep_rows() == []
    assert store.score_rows("revenue", "all")[0].score == Decimal(10)
