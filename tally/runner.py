"""`tally project`: follows the ledger into every configured view store until SIGTERM.

Each store has its own projector and position (one lane each), so a Redis outage never
holds up PostgreSQL. The lane of a state's SQLite views projects only while it holds the
state's projector lock: while another process holds it (a serving demo), the lane waits,
and takes over, from what the views hold, once that process is gone. A lane whose step fails drops its projector and reloads it from its
store at the next poll: its in-memory model may be ahead of what was committed. A store
found empty while the ledger is not (Redis restarted without persistence) is rebuilt from
zero silently, so no milestone is pushed twice; it then follows with notifications on.
"""
import logging
import signal
import threading

from eventsourcing.application import Application

from projections.projector import Projector
from projections.scoring import Rules
from projections.views import ViewStore
from tally.projector_lock import ProjectorLock

__all__ = ["Lane", "run_until_stopped"]

_log = logging.getLogger("tally.project")


class Lane:
    def __init__(self, ledger: Application, store: ViewStore, rules: Rules, *,
                 lock: ProjectorLock | None = None) -> None:
        self._ledger, self._store, self._rules = ledger, store, rules
        self._lock = lock
        self._projector: Projector | None = None
        self._failing = ""
        self._waiting = False

    def step(self) -> None:
        if self._lock is not None and not self._lock.try_acquire():
            if not self._waiting:
                _log.info("%s: waiting for %s, the state's projector, to stop", type(self._store).__name__,
                          self._lock.holder())
            self._waiting, self._projector = True, None  # the holder moves the views: reload after it
            return
        self._waiting = False
        try:
            if self._projector is None:
                self._projector = self._start()
                _log.info("%s: following the ledger from %d", type(self._store).__name__,
                          self._projector.position)
            self._projector.catch_up()
            self._failing = ""
        except Exception as error:  # the next step reloads from the store; never a silent skip
            self._projector = None
            if str(error) != self._failing:
                _log.warning("%s: %s; reloading from the store", type(self._store).__name__, error)
                self._failing = str(error)

    def _start(self) -> Projector:
        if self._store.position() == 0 and (self._ledger.recorder.max_notification_id() or 0) > 0:
            _log.info("%s is empty: rebuilding from zero, silently", type(self._store).__name__)
            Projector(self._ledger, self._store, self._rules, notify=False).catch_up()
        return Projector(self._ledger, self._store, self._rules)


def run_until_stopped(lanes: list[Lane], *, poll_s: float) -> None:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.is_set():
        for lane in lanes:
            lane.step()
        stop.wait(poll_s)
