"""Fixtures of the integration suites: the real export, its clean embedded run, the broker."""
from tests.broker import kafka, kafka_run, worker_settings  # noqa: F401  (shared fixtures)
from tests.e2e.conftest import clean_run, export_dir  # noqa: F401  (shared session fixtures)
