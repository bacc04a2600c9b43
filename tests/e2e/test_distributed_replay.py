"""`tally replay` in the distributed mode: rebuilds the PostgreSQL views and Redis boards into a
scratch schema and prefix, diffs them with the live ones, and drops the scratch namespace."""
import re
import subprocess

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from projections.projector import Projector
from tally.bootstrap import open_ledger, scoring_rules
from tally.distributed import open_stores
from tests.conftest import settings_env
from tests.e2e.conftest import TALLY
from tests.helpers import Pipeline, deal, rep


@pytest.fixture
def live(server_settings):
    """Three reps' won deals in the PostgreSQL ledger, projected into the live stores."""
    ledger = open_ledger(server_settings)
    door = Pipeline().door
    ledger.record(door.admit([rep("amy", "Mo", "West"), rep("bo", "Mo", "West"), rep("cy", "Mo", "East"),
                              deal("won", "D1", "2017-01-05", rep="amy", amount="300"),
                              deal("won", "D2", "2017-01-06", rep="bo", amount="200"),
                              deal("won", "D3", "2017-01-07", rep="cy", amount="100")]))
    for store in open_stores(server_settings).projected():
        Projector(ledger, store, scoring_rules(server_settings)).catch_up()
    return server_settings


def replay(settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TALLY, "replay", *args], env=settings_env(settings), capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_replay_of_untouched_views_finds_no_difference_and_leaves_no_scratch_namespace(live, redis_client):
    done = replay(live)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "0 difference(s) between the live views and a rebuild from the ledger\n"
    schemas = re.findall(r"PostgreSQL schema (\w+)", done.stderr)
    prefixes = re.findall(r"Redis prefix (\{\S+\})", done.stderr)
    assert len(schemas) == len(prefixes) == 1, done.stderr
    with psycopg.connect(live.postgres_dsn) as conn:
        assert conn.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
                            schemas).fetchall() == []
    assert list(redis_client.scan_iter(match=f"{prefixes[0]}*")) == []


def test_a_redis_board_out_of_order_is_a_difference_even_though_every_score_agrees(live, redis_client):
    board = f"{{{live.redis_prefix}}}:board:revenue:all"
    first = redis_client.zrange(board, 0, 0)[0]
    redis_client.zadd(board, {first: 1})  # amy's member unchanged, but listed after the score-0 members
    done = replay(live)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "RedisViewStore: board revenue all: live [bo, cy, amy], rebuilt [amy, bo, cy]",
        "1 difference(s) between the live views and a rebuild from the ledger"]


def test_a_postgres_view_changed_behind_the_projection_is_a_difference(live):
    with psycopg.connect(live.postgres_dsn, autocommit=True) as conn:
        conn.execute(SQL("UPDATE {0}.scoring_reps SET region = 'Nowhere' WHERE rep = 'amy'").format(
            Identifier(live.postgres_schema)))
    done = replay(live)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "PostgresViewStore: rep amy: live region Nowhere, rebuilt West",
        "1 difference(s) between the live views and a rebuild from the ledger"]


def test_apply_is_refused_in_the_distributed_mode_as_a_usage_error(live):
    done = replay(live, "--apply")
    assert done.returncode == 2
    assert "--apply replaces embedded views only" in done.stderr
