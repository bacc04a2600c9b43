"""Field readers for inbound events: each names the field and the reason when it refuses.

Amounts are decimal strings or JSON numbers of at most 15 significant digits, converted
exactly through their shortest representation; anything else is refused.
"""
import re
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from streams.exceptions import InvalidEvent

__all__ = ["text", "optional_text", "amount", "business_time", "whole_number"]

_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_MAX_DIGITS = 15


def text(raw: dict[str, Any], name: str) -> str:
    value = raw.get(name)
    if value is None:
        raise InvalidEvent(name, "is missing")
    if not isinstance(value, str) or not value.strip():
        raise InvalidEvent(name, f"must be a non-empty string, got {value!r}")
    return value.strip()


def optional_text(raw: dict[str, Any], name: str) -> str | None:
    return None if raw.get(name) in (None, "") else text(raw, name)


def amount(raw: dict[str, Any], name: str, *, required: bool) -> Decimal | None:
    value = raw.get(name)
    if value is None or value == "":
        if required:
            raise InvalidEvent(name, "is missing")
        return None
    return decimal_value(value, name)


def decimal_value(value: Any, name: str) -> Decimal:
    if isinstance(value, bool):
        raise InvalidEvent(name, f"must be a decimal, got {value!r}")
    if isinstance(value, str):
        if not _DECIMAL.match(value.strip()):
            raise InvalidEvent(name, f"{value!r} is not a decimal string like '1234.50'")
        result = Decimal(value.strip())
    elif isinstance(value, int):
        result = Decimal(value)
        if len(result.as_tuple().digits) > _MAX_DIGITS:
            raise InvalidEvent(name, f"JSON number {value} has more than 15 digits; send a string")
    elif isinstance(value, float):
        try:
            result = Decimal(repr(value))
        except InvalidOperation:
            raise InvalidEvent(name, f"{value!r} is not a finite number") from None
        if not result.is_finite() or len(result.normalize().as_tuple().digits) > _MAX_DIGITS:
            raise InvalidEvent(name, f"JSON number {value!r} is not exact; send a decimal string")
    else:
        raise InvalidEvent(name, f"must be a decimal string or number, got {type(value).__name__}")
    return result


def whole_number(raw: dict[str, Any], name: str) -> int | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidEvent(name, f"must be a whole number >= 0, got {value!r}")
    return value


def business_time(raw: dict[str, Any], name: str, tz: tzinfo) -> datetime:
    """ISO-8601; a date alone, or a time without zone, is read in the business time zone."""
    value = text(raw, name)
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=tz)
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidEvent(name, f"{value!r} is not an ISO-8601 date or time ({error})") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
