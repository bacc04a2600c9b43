"""Settings: every knob is an environment variable (documented in README), read once.

A bad value fails at start with the variable's name and what it should look like.
"""
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Settings", "SettingsError", "DEMO_PLAN"]

DEMO_PLAN = Path(__file__).parent / "plans" / "demo.toml"
T = TypeVar("T")


class SettingsError(ValueError):
    """A setting (environment variable or state directory) that cannot be used."""


def _read(name: str, default: str, convert: Callable[[str], T], expected: str) -> T:
    text = os.environ.get(name, default)
    try:
        return convert(text)
    except (ValueError, InvalidOperation, ZoneInfoNotFoundError, KeyError):
        raise SettingsError(f"{name}={text!r} is not {expected}") from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise ValueError(text)
    return value


def _amount(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite() or value < 0:
        raise ValueError(text)
    return value


def _currency(text: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise ValueError(text)
    return text


def _points(text: str) -> dict[str, Decimal]:
    points: dict[str, Decimal] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, sep, value = item.partition("=")
        if not sep or not kind.strip():
            raise ValueError(item)
        points[kind.strip().lower()] = _amount(value.strip())
    return points


@dataclass(frozen=True)
class Settings:
    state: Path
    tz: ZoneInfo
    currency: str
    plan_file: Path
    batch_size: int
    host: str
    port: int
    big_deal: Decimal
    activity_points: dict[str, Decimal]
    ledger: str = "sqlite"  # sqlite | postgres
    views: str = "sqlite"  # durable views: sqlite | postgres
    boards: str = "views"  # boards and change feed: views (in the durable store) | redis
    postgres_dsn: str = "postgresql://tally:tally@127.0.0.1:5432/tally"
    postgres_schema: str = "public"
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_prefix: str = "tally"
    feed_maxlen: int = 100_000
    poll_s: float = 0.1
    kafka: str = "kafka://127.0.0.1:9092"  # faust broker URL(s) of the distributed mode
    kafka_prefix: str = "tally"  # topic names and consumer group derive from it
    kafka_partitions: int = 4  # partitions of topics the worker creates
    max_connections_per_ip: int = 64  # gateway websocket connections from one client address
    gateway_redis_timeout_s: float = 1.0  # `tally serve`: a Redis silent this long is out of reach

    @classmethod
    def from_env(cls, *, state: str | None = None) -> "Settings":
        return cls(
            state=Path(state or os.environ.get("TALLY_STATE", "var/tally")),
            tz=_read("TALLY_TZ", "UTC", ZoneInfo, "an IANA time zone like UTC or Europe/Paris"),
            currency=_read("TALLY_CURRENCY", "USD", _currency, "a 3-letter currency code like USD"),
            plan_file=Path(os.environ.get("TALLY_PLAN", str(DEMO_PLAN))),
            batch_size=_read("TALLY_BATCH_SIZE", "500", _positive, "a whole number >= 1"),
            host=os.environ.get("TALLY_HOST", "127.0.0.1"),
            port=_read("TALLY_PORT", "8765", _port, "a port number (0 picks a free one)"),
            big_deal=_read("TALLY_BIG_DEAL", "20000", _amount, "an amount like 20000"),
            activity_points=_read("TALLY_ACTIVITY_POINTS", "email=1,call=3,meeting=10,demo=10", _points,
                                  "KIND=POINTS pairs like email=1,call=3"),
            ledger=_read("TALLY_LEDGER", "sqlite", _one_of("sqlite", "postgres"), "sqlite or postgres"),
            views=_read("TALLY_VIEWS", "sqlite", _one_of("sqlite", "postgres"), "sqlite or postgres"),
            boards=_read("TALLY_BOARDS", "views", _one_of("views", "redis"), "views or redis"),
            postgres_dsn=os.environ.get("TALLY_POSTGRES_DSN", "postgresql://tally:tally@127.0.0.1:5432/tally"),
            postgres_schema=os.environ.get("TALLY_POSTGRES_SCHEMA", "public"),
            redis_url=os.environ.get("TALLY_REDIS_URL", "redis://127.0.0.1:6379/0"),
            redis_prefix=os.environ.get("TALLY_REDIS_PREFIX", "tally"),
            feed_maxlen=_read("TALLY_FEED_MAXLEN", "100000", _positive, "a whole number >= 1"),
            poll_s=_read("TALLY_POLL_MS", "100", _positive, "milliseconds, a whole number >= 1") / 1000,
            kafka=os.environ.get("TALLY_KAFKA", "kafka://127.0.0.1:9092"),
            kafka_prefix=os.environ.get("TALLY_KAFKA_PREFIX", "tally"),
            kafka_partitions=_read("TALLY_KAFKA_PARTITIONS", "4", _positive, "a whole number >= 1"),
            max_connections_per_ip=_read("TALLY_MAX_CONNECTIONS_PER_IP", "64", _positive,
                                         "a whole number >= 1"),
            gateway_redis_timeout_s=_read("TALLY_GATEWAY_REDIS_TIMEOUT_MS", "1000", _positive,
                                          "milliseconds, a whole number >= 1") / 1000,
        )

    @property
    def embedded(self) -> bool:
        """Views in SQLite and no Redis: the ingesting process projects in-process."""
        return self.views == "sqlite" and self.boards == "views"


def _one_of(*choices: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if text not in choices:
            raise ValueError(text)
        return text
    return check
