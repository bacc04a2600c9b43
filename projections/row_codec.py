"""Rows to and from plain JSON-ready lists, for stores that keep text (PostgreSQL, Redis).

Money stays a Decimal string and times ISO-8601 with their zone, so a row read back is
equal to the row written, digit for digit (a float or a re-zoned timestamp would not be).
"""
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

__all__ = ["encode_row", "decode_row", "columns", "row_fields"]

Row = TypeVar("Row")


def columns(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


def encode_row(row: Any) -> list[Any]:
    return [_out(getattr(row, f.name)) for f in fields(row)]


def row_fields(row: Any) -> dict[str, Any]:
    """The row as a JSON-ready dict of its fields."""
    return {f.name: _out(getattr(row, f.name)) for f in fields(row)}


def decode_row(cls: type[Row], values: Any) -> Row:
    return cls(*(_in(f.type, v) for f, v in zip(fields(cls), values)))  # type: ignore[arg-type]


def _out(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _in(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if kind is Decimal:
        return Decimal(value)
    if kind is int:
        return int(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    return value
