"""Dead letters: every refused event kept with its reason and raw payload.

Keyed by a hash of the payload, so re-importing the same bad row keeps one letter.
"""
import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

__all__ = ["DeadLetter", "DeadLetterStore", "MemoryDeadLetters", "SqliteDeadLetters"]


@dataclass(frozen=True)
class DeadLetter:
    field: str
    reason: str
    payload: str


class DeadLetterStore(Protocol):
    def add(self, letter: DeadLetter) -> None: ...
    def all(self) -> list[DeadLetter]: ...
    def count(self) -> int: ...


def _key(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()


class MemoryDeadLetters:
    def __init__(self) -> None:
        self._letters: dict[str, DeadLetter] = {}

    def add(self, letter: DeadLetter) -> None:
        self._letters.setdefault(_key(letter.payload), letter)

    def all(self) -> list[DeadLetter]:
        return list(self._letters.values())

    def count(self) -> int:
        return len(self._letters)


class SqliteDeadLetters:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS dead_letters ("
            " key TEXT PRIMARY KEY, field TEXT NOT NULL, reason TEXT NOT NULL,"
            " payload TEXT NOT NULL, seq INTEGER NOT NULL)"
        )

    def add(self, letter: DeadLetter) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO dead_letters VALUES (?, ?, ?, ?,"
                " (SELECT COALESCE(MAX(seq), 0) + 1 FROM dead_letters))",
                (_key(letter.payload), letter.field, letter.reason, letter.payload),
            )

    def all(self) -> list[DeadLetter]:
        with self._lock:
            rows = self._db.execute(
                "SELECT field, reason, payload FROM dead_letters ORDER BY seq"
            ).fetchall()
        return [DeadLetter(*row) for row in rows]

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM dead_letters").fetchone()[0])
