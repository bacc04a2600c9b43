"""Field readers for inbound events: each names the field and the reason when it refuses.

Amounts are decimal strings or JSON numbers of at most 15 significant digits, converted
exactly through their shortest representation; anything else is refused. Money has at
most 2 decimal places and 13 integer digits (below 10 trillion), so split parts can sum
to the deal exactly and no sum ever outgrows Decimal's precision; every amount is kept
with exactly 2 decimals ("1.5" and "1.500" are both 1.50), so equal money prints alike on
every board, statement and JSON output. Business times lie in the years 1900 to 2100.
Text fields hold at most 256 characters and no control characters (C0, DEL, C1) or
invisible format characters (Unicode category Cf: zero-width spaces and joiners, bidirectional
controls, soft hyphens, ...), which would make a name print as another; for the same reason
they are read in Unicode NFC (an accent sent as a combining mark names the same rep). Refusals show the
values they refuse in JSON's words (null, true, an array), never Python's (None, list).
"""
import re
import unicodedata
from datetime import date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

from domain.money import CENT
from streams.exceptions import InvalidEvent

__all__ = ["YEARS", "as_named", "text", "optional_text", "amount", "money", "business_time", "day", "optional_day",
           "whole_number", "decimal_value", "boolean", "json_kind", "shown"]

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_MAX_DIGITS = 15
MONEY_PLACES, MONEY_DIGITS = 2, 13
_MAX_TEXT = 256
_MAX_SHOWN = 60  # characters of a refused value quoted in a reason
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MAX_WHOLE = 10 ** 15  # a whole number has at most 15 digits, like a JSON amount
YEARS = range(1900, 2101)


def json_kind(value: Any) -> str:
    """The JSON type of a decoded value, as a message names it: "null", "a number", ..."""
    if value is None or isinstance(value, bool):
        return orjson.dumps(value).decode()
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object" if isinstance(value, dict) else type(value).__name__


def shown(value: Any) -> str:
    """A refused value as a message quotes it: a string in quotes, anything else as JSON
    text (null, true, 1e20, [1]), cut at 60 characters."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, Decimal):  # a TOML number of a plan file, as written
        text = str(value)
    else:
        try:
            text = orjson.dumps(value, default=str).decode()
        except TypeError:  # an integer past 64 bits: Python writes it as JSON does
            text = str(value)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"


def _invisible(value: str) -> str | None:
    """What a text holds that does not print as itself, in words, or None."""
    if value.isprintable():
        return None
    for char in value:
        kind = unicodedata.category(char)
        if kind in ("Cc", "Cf"):
            what = ("a control character" if kind == "Cc" else "a bidirectional control character"
                    if char in _BIDI else "an invisible format character")
            name = unicodedata.name(char, "")
            return f"{what} (U+{ord(char):04X}{' ' + name if name else ''})"
    return None


def as_named(value: str) -> str:
    """A name in the one form the ledger keeps (Unicode NFC): "José" typed as e + U+0301 is
    the same rep as with é, whether it comes in an event or on the command line."""
    return unicodedata.normalize("NFC", value)


def text(raw: dict[str, Any], name: str) -> str:
    """Stripped and in the form of `as_named`."""
    value = raw.get(name)
    if value is None:
        raise InvalidEvent(name, "is missing")
    if not isinstance(value, str) or not value.strip():
        raise InvalidEvent(name, f"must be a non-empty string, got {shown(value)}")
    value = as_named(value)
    if len(value) > _MAX_TEXT:
        raise InvalidEvent(name, f"must be at most {_MAX_TEXT} characters, got {len(value)}")
    invisible = _invisible(value)
    if invisible:
        raise InvalidEvent(name, f"contains {invisible}")
    return value.strip()


def optional_text(raw: dict[str, Any], name: str) -> str | None:
    return None if raw.get(name) in (None, "") else text(raw, name)


def amount(raw: dict[str, Any], name: str, *, required: bool) -> Decimal | None:
    value = raw.get(name)
    if value is None or value == "":
        if required:
            raise InvalidEvent(name, "is missing")
        return None
    return money(value, name)


def money(value: Any, name: str) -> Decimal:
    """A decimal amount of money: at most 2 decimal places and 13 integer digits, kept in cents."""
    result = decimal_value(value, name)
    if abs(result) >= Decimal(10) ** MONEY_DIGITS:  # first: quantizing a huge value would overflow
        raise InvalidEvent(name, f"{shown(value)} is 10 trillion or more")
    cents = result.quantize(CENT)
    if cents != result:
        raise InvalidEvent(name, f"{shown(value)} has more than {MONEY_PLACES} decimal places")
    return cents


def decimal_value(value: Any, name: str) -> Decimal:
    """Exact: a decimal string of ASCII digits, or a JSON number of at most 15 digits."""
    if isinstance(value, bool):
        raise InvalidEvent(name, f"must be a decimal, got {shown(value)}")
    if isinstance(value, str):
        if not _DECIMAL.fullmatch(value) or len(value) > 40:
            raise InvalidEvent(name, f"{shown(value)} is not a decimal string like '1234.50'")
        result = Decimal(value)
    elif isinstance(value, int):
        result = Decimal(value)
        if len(result.as_tuple().digits) > _MAX_DIGITS:
            raise InvalidEvent(name, f"JSON number {value} has more than 15 digits; send a string")
    elif isinstance(value, Decimal):  # a TOML number, read exactly as written (plan files)
        if not value.is_finite():
            raise InvalidEvent(name, f"{value} is not a finite number")
        if len(value.as_tuple().digits) > 40:
            raise InvalidEvent(name, f"{value} has more than 40 digits")
        result = value
    elif isinstance(value, float):
        try:
            result = Decimal(repr(value))
        except InvalidOperation:
            raise InvalidEvent(name, f"{shown(value)} is not a finite number") from None
        if not result.is_finite():
            raise InvalidEvent(name, f"{shown(value)} is not a finite number")
        if len(result.normalize().as_tuple().digits) > _MAX_DIGITS:
            raise InvalidEvent(name, f"JSON number {shown(value)} is not exact; send a decimal string")
    else:
        raise InvalidEvent(name, f"must be a decimal string or number, got {json_kind(value)}")
    return result if result != 0 else abs(result)  # no negative zero


def boolean(raw: dict[str, Any], name: str, *, default: bool) -> bool:
    """true or false, nothing else: the string "false" is not false."""
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise InvalidEvent(name, f"must be true or false, got {shown(value)}")
    return value


def whole_number(raw: dict[str, Any], name: str) -> int | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _MAX_WHOLE:
        raise InvalidEvent(name, f"must be a whole number from 0 to 15 digits, got {shown(value)}")
    return value


def optional_day(raw: dict[str, Any], name: str) -> date | None:
    return None if raw.get(name) in (None, "") else day(raw, name)


def day(raw: dict[str, Any], name: str) -> date:
    """A calendar day like 2017-07-01, in the years 1900-2100."""
    value = text(raw, name)
    try:
        parsed = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidEvent(name, f"{value!r} is not a date like 2017-07-01")
    if parsed.year not in YEARS:
        raise InvalidEvent(name, f"{value!r} is outside the years {YEARS.start}-{YEARS.stop - 1}")
    return parsed


def business_time(raw: dict[str, Any], name: str, tz: tzinfo) -> datetime:
    """ISO-8601; a date alone, or a time without zone, is read in the business time zone."""
    value = text(raw, name)
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), time(), tzinfo=tz)
        else:
            parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidEvent(name, f"{value!r} is not an ISO-8601 date or time ({error})") from None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    try:
        year = parsed.astimezone(tz).year
    except OverflowError:
        year = 0
    if year not in YEARS or parsed.year not in YEARS:
        raise InvalidEvent(name, f"{value!r} is outside the years {YEARS.start}-{YEARS.stop - 1}")
    return parsed
