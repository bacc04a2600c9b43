"""Server fixtures for integration and end-to-end tests.

Servers come from TALLY_POSTGRES_DSN and TALLY_REDIS_URL (defaults: the loopback servers
that scripts/services.sh starts). Each test gets its own PostgreSQL schema and Redis key
prefix, removed afterwards. An unreachable server fails the test: nothing here skips.
"""
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from psycopg.sql import SQL, Identifier
from redis import Redis
from redis.exceptions import RedisError

from tally.settings import Settings

PG_DSN = os.environ.get("TALLY_POSTGRES_DSN", "postgresql://tally:tally@127.0.0.1:5432/tally")
REDIS_URL = os.environ.get("TALLY_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def pg_schema() -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield name
    with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(SQL("DROP SCHEMA IF EXISTS {0} CASCADE").format(Identifier(name)))


@pytest.fixture
def redis_client() -> Iterator[Redis]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    client.ping()
    yield client
    client.close()


@pytest.fixture
def redis_prefix(redis_client: Redis) -> Iterator[str]:
    prefix = f"t{uuid.uuid4().hex[:12]}"
    yield prefix
    keys = list(redis_client.scan_iter(match=f"{{{prefix}*", count=1000))
    for start in range(0, len(keys), 500):
        redis_client.delete(*keys[start:start + 500])


@pytest.fixture
def server_settings(tmp_path: Path, pg_schema: str, redis_prefix: str) -> Settings:
    """The distributed mode on this test's schema and prefix: PostgreSQL ledger and views, Redis boards."""
    return replace(Settings.from_env(state=str(tmp_path / "state")), ledger="postgres", views="postgres",
                   boards="redis", postgres_dsn=PG_DSN, redis_url=REDIS_URL, postgres_schema=pg_schema,
                   redis_prefix=redis_prefix)


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a `tally` process see `settings`."""
    return {**os.environ, "TALLY_LEDGER": settings.ledger, "TALLY_VIEWS": settings.views,
            "TALLY_BOARDS": settings.boards, "TALLY_POSTGRES_DSN": settings.postgres_dsn,
            "TALLY_POSTGRES_SCHEMA": settings.postgres_schema, "TALLY_REDIS_URL": settings.redis_url,
            "TALLY_REDIS_PREFIX": settings.redis_prefix, "TALLY_STATE": str(settings.state),
            "TALLY_POLL_MS": "50"}


class PrivateRedis:
    """A Redis server of this test's own (no persistence), so a restart disturbs no one else."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._workdir = workdir
        self.proc = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                 "--appendonly", "no", "--dir", str(self._workdir)], stdout=subprocess.DEVNULL)
        client = Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return proc
            except RedisError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGKILL: the server is gone, and with it every key (no persistence)."""
        self.proc.kill()
        self.proc.wait()

    def start(self) -> None:
        """Starts again, empty, on the same port."""
        self.proc = self._start()

    def restart(self) -> None:
        self.stop()
        self.start()

    def pause(self) -> None:
        """SIGSTOP: connections are still accepted, nothing is answered (a hung server)."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    yield server
    server.proc.kill()
    server.proc.wait()
