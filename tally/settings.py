"""Settings: every knob is an environment variable (documented in README), read once."""
import os
from collections.abc import Mapping
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from domain.commission import Plan, Tier

__all__ = ["Settings", "load_plan"]

_DEMO_PLAN = Path(__file__).parent / "plans" / "demo.toml"


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

    @classmethod
    def from_env(cls, *, state: str | None = None) -> "Settings":
        env = os.environ
        return cls(
            state=Path(state or env.get("TALLY_STATE", "var/tally")),
            tz=ZoneInfo(env.get("TALLY_TZ", "UTC")),
            currency=env.get("TALLY_CURRENCY", "USD"),
            plan_file=Path(env.get("TALLY_PLAN", str(_DEMO_PLAN))),
            batch_size=int(env.get("TALLY_BATCH_SIZE", "500")),
            host=env.get("TALLY_HOST", "127.0.0.1"),
            port=int(env.get("TALLY_PORT", "8765")),
            big_deal=Decimal(env.get("TALLY_BIG_DEAL", "20000")),
            activity_points=_points(env.get("TALLY_ACTIVITY_POINTS", "email=1,call=3,meeting=10,demo=10")),
            ledger=_choice(env, "TALLY_LEDGER", "sqlite", "postgres"),
            views=_choice(env, "TALLY_VIEWS", "sqlite", "postgres"),
            boards=_choice(env, "TALLY_BOARDS", "views", "redis"),
            postgres_dsn=env.get("TALLY_POSTGRES_DSN", "postgresql://tally:tally@127.0.0.1:5432/tally"),
            postgres_schema=env.get("TALLY_POSTGRES_SCHEMA", "public"),
            redis_url=env.get("TALLY_REDIS_URL", "redis://127.0.0.1:6379/0"),
            redis_prefix=env.get("TALLY_REDIS_PREFIX", "tally"),
            feed_maxlen=int(env.get("TALLY_FEED_MAXLEN", "100000")),
            poll_s=float(env.get("TALLY_POLL_MS", "100")) / 1000,
            kafka=env.get("TALLY_KAFKA", "kafka://127.0.0.1:9092"),
            kafka_prefix=env.get("TALLY_KAFKA_PREFIX", "tally"),
            kafka_partitions=int(env.get("TALLY_KAFKA_PARTITIONS", "4")),
        )

    @property
    def embedded(self) -> bool:
        """Views in SQLite and no Redis: the ingesting process projects in-process."""
        return self.views == "sqlite" and self.boards == "views"


def _choice(env: Mapping[str, str], name: str, *choices: str) -> str:
    value = env.get(name, choices[0])
    if value not in choices:
        raise ValueError(f"{name}: {value!r} is not one of {', '.join(choices)}")
    return value


def _points(text: str) -> dict[str, Decimal]:
    points: dict[str, Decimal] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"TALLY_ACTIVITY_POINTS: {item!r} is not KIND=POINTS")
        points[kind.strip().lower()] = Decimal(value.strip())
    return points


def load_plan(path: Path) -> Plan:
    with path.open("rb") as f:
        raw = tomllib.load(f)
    tiers = tuple(Tier(Decimal(str(t["floor"])), Decimal(str(t["rate"]))) for t in raw["tiers"])
    if not tiers or tiers[0].floor != 0 or list(tiers) != sorted(tiers, key=lambda t: t.floor):
        raise ValueError(f"{path}: tiers must start at floor 0 and rise")
    return Plan(str(raw["name"]), int(raw["version"]), Decimal(str(raw["quota"])), tiers)
