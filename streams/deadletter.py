"""Dead letters: every refused event kept with its reason and raw payload.

Keyed by a hash of the payload, so re-importing the same bad row keeps one letter. The
payload is the event as it came in (a JSON object, keys sorted); a line that is not one is
kept as its text, or, when it is not UTF-8, as the base64 of its exact bytes.
"""
import base64
import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

__all__ = ["DeadLetter", "DeadLetterStore", "MemoryDeadLetters", "SqliteDeadLetters", "raw_line"]


@dataclass(frozen=True)
class DeadLetter:
    field: str
    reason: str
    payload: str


class DeadLetterStore(Protocol):
    def add(self, letter: DeadLetter) -> None: ...
    def add_all(self, letters: list[DeadLetter]) -> None:
        """Keeps many letters in one write: a flood of bad input must not slow the stream."""
    def all(self) -> list[DeadLetter]: ...
    def count(self) -> int: ...


def raw_line(value: bytes, **where: Any) -> dict[str, Any]:
    """A line that is no event object, kept losslessly: `text`, or `bytes_base64` if not UTF-8."""
    try:
        return {**where, "text": value.decode("utf-8")}
    except UnicodeDecodeError:
        return {**where, "bytes_base64": base64.b64encode(value).decode("ascii")}


def _key(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()


class MemoryDeadLetters:
    def __init__(self) -> None:
        self._letters: dict[str, DeadLetter] = {}

    def add(self, letter: DeadLetter) -> None:
        self._letters.setdefault(_key(letter.payload), letter)

    def add_all(self, letters: list[DeadLetter]) -> None:
        for letter in letters:
            self.add(letter)

    def all(self) -> list[DeadLetter]:
        return list(self._letters.values())

    def count(self) -> int:
        return len(self._letters)


class SqliteDeadLetters:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS dead_letters (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " key TEXT NOT NULL UNIQUE, field TEXT NOT NULL, reason TEXT NOT NULL, payload TEXT NOT NULL)"
        )

    def add(self, letter: DeadLetter) -> None:
        self.add_all([letter])

    def add_all(self, letters: list[DeadLetter]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR IGNORE INTO dead_letters (key, field, reason, payload) VALUES (?, ?, ?, ?)",
                [(_key(d.payload), d.field, d.reason, d.payload) for d in letters])
            self._db.execute("COMMIT")

    def all(self) -> list[DeadLetter]:
        with self._lock:
            rows = self._db.execute(
                "SELECT field, reason, payload FROM dead_letters ORDER BY seq"
            ).fetchall()
        return [DeadLetter(*row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM dead_letters").fetchone()[0])
