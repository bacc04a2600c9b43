"""Who keeps the embedded views: one projector per state at a time, chosen by an OS lock.

SQLite has no subscriptions, so the process holding `projector.lock` under the state
directory projects what any process wrote to the ledger (a serving demo polls it); the
others only write. The kernel drops an flock when its holder dies, so a killed process
never blocks the next one.
"""
import fcntl
import os
from pathlib import Path

__all__ = ["ProjectorLock"]


class ProjectorLock:
    def __init__(self, state: Path) -> None:
        self._path = state / "projector.lock"
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def holder(self) -> str:
        """Who holds the lock, for messages: its pid, once written."""
        try:
            text = self._path.read_text().strip()
        except FileNotFoundError:
            text = ""
        return f"pid {text}" if text.isdigit() else "another process"
