"""Fixtures of the integration suites: the real export, its clean embedded run, the broker."""
import socket
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import clean_run, export_dir  # noqa: F401  (shared session fixtures)
from tests.integration.kafka_worker import Kafka

KAFKA = ("127.0.0.1", 9092)


@pytest.fixture(scope="session")
def kafka() -> str:
    """The broker `make test` starts (scripts/kafka.sh up); a missing one fails, never skips."""
    try:
        socket.create_connection(KAFKA, timeout=2).close()
    except OSError as error:
        pytest.fail(f"no Kafka broker on {KAFKA[0]}:{KAFKA[1]} ({error}); run scripts/kafka.sh up")
    return f"kafka://{KAFKA[0]}:{KAFKA[1]}"


@pytest.fixture
def run(kafka: str, tmp_path) -> Iterator[Kafka]:
    """This test's topics, consumer group and worker; the worker is killed afterwards."""
    run = Kafka(kafka, tmp_path)
    yield run
    run.kill_worker()
