"""Settings: every knob is an environment variable (documented in README), read once."""
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

__all__ = ["Settings"]

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
        )


def _points(text: str) -> dict[str, Decimal]:
    points: dict[str, Decimal] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"TALLY_ACTIVITY_POINTS: {item!r} is not KIND=POINTS")
        points[kind.strip().lower()] = Decimal(value.strip())
    return points
