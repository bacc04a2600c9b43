"""Real `tally worker` and `tally publish` processes against the broker, one topic prefix each."""
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from projections.sqlite_store import SqliteViewStore
from tally.bootstrap import embedded
from tally.settings import Settings
from tests.e2e.conftest import TALLY
from tests.e2e.test_order_and_replay import ledger_size
from tests.helpers import view_dump


class Kafka:
    """A unique topic prefix (and so consumer group) and state dir for one test."""

    def __init__(self, broker: str, tmp: Path) -> None:
        self.prefix = f"t{uuid.uuid4().hex[:10]}"
        self.state = tmp / "state"
        self.log = tmp / "worker.log"
        self.env = {**os.environ, "TALLY_KAFKA": broker, "TALLY_KAFKA_PREFIX": self.prefix,
                    "TALLY_KAFKA_PARTITIONS": "2", "TALLY_PORT": "0"}
        self.worker: subprocess.Popen[bytes] | None = None

    def start_worker(self) -> None:
        with self.log.open("ab") as log:
            self.worker = subprocess.Popen([*TALLY, "worker", "--state", str(self.state)],
                                           env=self.env, stdout=log, stderr=log)

    def kill_worker(self, sig: int = signal.SIGKILL) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.send_signal(sig)
            self.worker.wait(timeout=30)
        self.worker = None

    def publish(self, source: Path) -> bytes:
        """A plan file's version is decided against the worker's own ledger, as a user would."""
        done = subprocess.run([*TALLY, "publish", str(source), "--state", str(self.state), "--json"], env=self.env,
                              capture_output=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout

    def wait(self, done: Callable[[], bool], what: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert self.worker is None or self.worker.poll() is None, \
                f"the worker exited:\n{self.log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.05)

    def ledger_size(self) -> int:
        return ledger_size(self.state) if (self.state / "ledger.db").exists() else 0

    def project(self) -> dict:
        """Runs the embedded projector over the worker's ledger; returns every view."""
        app = embedded(Settings.from_env(state=str(self.state)))
        app.projector().catch_up()
        return view_dump(SqliteViewStore(self.state / "views.db"))
