"""Business-time windows: month, quarter, year and all-time.

Windows are named by strings a person can type (`2017-05`, `2017-Q2`, `2017`, `all`)
and computed from a fact's business time in the configured time zone.
"""
import re
from datetime import date, datetime, tzinfo

__all__ = ["ALL", "quarter_of", "next_quarter", "windows_of", "window_kind", "quarter_bounds", "window_sort_key"]

ALL = "all"
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_YEAR = re.compile(r"([0-9]{4})")


def _local_date(at: datetime, tz: tzinfo) -> date:
    return at.astimezone(tz).date()


def quarter_of(at: datetime, tz: tzinfo) -> str:
    d = _local_date(at, tz)
    return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"


def next_quarter(quarter: str) -> str:
    year, n = int(quarter[:4]), int(quarter[-1])
    return f"{year + 1}-Q1" if n == 4 else f"{year}-Q{n + 1}"


def windows_of(at: datetime, tz: tzinfo) -> tuple[str, str, str, str]:
    """Every window a fact at `at` counts in: month, quarter, year, all-time."""
    d = _local_date(at, tz)
    return (f"{d.year:04d}-{d.month:02d}", f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}", f"{d.year:04d}", ALL)


def window_kind(window: str) -> str:
    """`month`, `quarter`, `year` or `all`; ValueError for anything else."""
    if window == ALL:
        return "all"
    for kind, pattern in (("month", _MONTH), ("quarter", _QUARTER), ("year", _YEAR)):
        if pattern.fullmatch(window):
            return kind
    raise ValueError(f"window {window!r} is not YYYY, YYYY-QN, YYYY-MM or 'all'")


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """First day of the quarter and first day of the next one."""
    m = _QUARTER.fullmatch(quarter)
    if not m:
        raise ValueError(f"quarter {quarter!r} is not YYYY-QN")
    year, q = int(m.group(1)), int(m.group(2))
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, end


def window_sort_key(window: str) -> tuple[int, str]:
    """Orders windows by time within a kind; `all` last."""
    return (1, "") if window == ALL else (0, window)
