"""Connections to the servers of the distributed mode, built from Settings (never at import)."""
import re
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from eventsourcing.postgres import PostgresDatastore
from psycopg.conninfo import conninfo_to_dict
from psycopg.sql import SQL, Identifier
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from tally.settings import Settings

__all__ = ["postgres_env", "postgres_datastore", "schema_turn", "drop_schema", "redis_client", "drop_prefix"]


def postgres_env(settings: Settings) -> dict[str, str]:
    """eventsourcing's POSTGRES_* variables from TALLY_POSTGRES_DSN and TALLY_POSTGRES_SCHEMA.

    POSTGRES_ENABLE_DB_FUNCTIONS is off, said explicitly: it interleaves notification ids
    under concurrency and drops tracking, and the library would otherwise take it from os.environ.
    """
    dsn = conninfo_to_dict(settings.postgres_dsn)
    return {
        "POSTGRES_DBNAME": str(dsn.get("dbname", "tally")), "POSTGRES_HOST": str(dsn.get("host", "127.0.0.1")),
        "POSTGRES_PORT": str(dsn.get("port", "5432")), "POSTGRES_USER": str(dsn.get("user", "tally")),
        "POSTGRES_PASSWORD": str(dsn.get("password", "")), "POSTGRES_SCHEMA": settings.postgres_schema,
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
    }


@contextmanager
def schema_turn(settings: Settings) -> Iterator[None]:
    """The schema made, and this process's turn to create tables in it. PostgreSQL's
    CREATE ... IF NOT EXISTS can fail when two sessions run it at once ("tuple concurrently
    updated"), as a worker and `tally publish` starting together do, so makers take turns on
    an advisory lock, released when its connection closes."""
    with psycopg.connect(settings.postgres_dsn, autocommit=True, connect_timeout=5) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"tally-schema:{settings.postgres_schema}",))
        conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(Identifier(settings.postgres_schema)))
        yield


def drop_schema(settings: Settings) -> None:
    with psycopg.connect(settings.postgres_dsn, autocommit=True, connect_timeout=5) as conn:
        conn.execute(SQL("DROP SCHEMA IF EXISTS {0} CASCADE").format(Identifier(settings.postgres_schema)))


def postgres_datastore(settings: Settings) -> PostgresDatastore:
    env = postgres_env(settings)
    return PostgresDatastore(env["POSTGRES_DBNAME"], env["POSTGRES_HOST"], env["POSTGRES_PORT"],
                             env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], schema=settings.postgres_schema)


def redis_client(settings: Settings, *, timeout_s: float | None = None) -> Redis:
    """Patient by default (30 s, redis-py's retries): a projector's writes may be long. With
    `timeout_s` (the gateway, which reads in its event loop): one try that gives up after
    `timeout_s`, so a Redis that hangs is an outage the caller waits out, not a freeze."""
    if timeout_s is None:
        return Redis.from_url(settings.redis_url, socket_connect_timeout=5, socket_timeout=30)
    return Redis.from_url(settings.redis_url, socket_connect_timeout=min(timeout_s, 5), socket_timeout=timeout_s,
                          retry=Retry(NoBackoff(), 0))


def drop_prefix(settings: Settings) -> int:
    """Deletes every key of the Redis namespace TALLY_REDIS_PREFIX names; returns how many."""
    client = redis_client(settings)
    pattern = re.sub(r"([*?\[\]\\])", r"\\\1", f"{{{settings.redis_prefix}}}:") + "*"
    keys = list(client.scan_iter(match=pattern, count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])
    return len(keys)
