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

__all__ = ["Settings", "SettingsError"]

_DEMO_PLAN = Path(__file__).parent / "plans" / "demo.toml"
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

    @classmethod
    def from_env(cls, *, state: str | None = None) -> "Settings":
        return cls(
            state=Path(state or os.environ.get("TALLY_STATE", "var/tally")),
            tz=_read("TALLY_TZ", "UTC", ZoneInfo, "an IANA time zone like UTC or Europe/Paris"),
            currency=_read("TALLY_CURRENCY", "USD", _currency, "a 3-letter currency code like USD"),
            plan_file=Path(os.environ.get("TALLY_PLAN", str(_DEMO_PLAN))),
            batch_size=_read("TALLY_BATCH_SIZE", "500", _positive, "a whole number >= 1"),
            host=os.environ.get("TALLY_HOST", "127.0.0.1"),
            port=_read("TALLY_PORT", "8765", _port, "a port number (0 picks a free one)"),
            big_deal=_read("TALLY_BIG_DEAL", "20000", _amount, "an amount like 20000"),
            activity_points=_read("TALLY_ACTIVITY_POINTS", "email=1,call=3,meeting=10,demo=10", _points,
                                  "KIND=POINTS pairs like email=1,call=3"),
        )
