"""Helpers for the distributed-mode end-to-end tests: the export as facts, a `tally project`
process, and waiting for the stores to reach the ledger's head."""
import subprocess
from collections.abc import Sequence
import time
from datetime import timezone
from pathlib import Path

from domain.facts import Fact
from domain.ledger import Ledger
from streams.crm_export import read_export
from streams.deadletter import MemoryDeadLetters
from streams.ingest import Door, batches, business_order
from tally.plan_files import plan_events
from tally.settings import DEMO_PLAN, Settings
from tests.conftest import settings_env
from tests.e2e.conftest import TALLY


def export_batches(export_dir: Path, size: int = 500) -> list[Sequence[Fact]]:
    """The demo plan and the export, as the embedded demo feeds them."""
    door = Door(MemoryDeadLetters(), tz=timezone.utc, currency="USD")
    plan = plan_events(DEMO_PLAN, Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}))
    return list(batches(business_order(door.admit(plan + read_export(export_dir).events)), size))


class ProjectProcess:
    """`tally project` as a child process; `started` waits until every lane follows the ledger."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.log = log
        self._log_file = log.open("ab")
        self.proc = subprocess.Popen([*TALLY, "project"], env=settings_env(settings),
                                     stdout=self._log_file, stderr=self._log_file)

    def started(self, lanes: int = 2, timeout: float = 30) -> "ProjectProcess":
        deadline = time.monotonic() + timeout
        while self.log.read_text().count("following the ledger") < lanes:
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "tally project did not start"
            time.sleep(0.05)
        return self

    def stop(self, sig: int) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=30)
        self._log_file.close()
        return code


def wait_for(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
