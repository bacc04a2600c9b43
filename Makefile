# Tally: `make demo` sets up and runs the embedded demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test check test-unit test-integration test-e2e bench clean kafka services

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: setup
	$(BIN)/tally demo

test: setup check kafka services
	$(BIN)/python -m pytest tests

# Static checks, first because they take seconds: undefined or unused names, and types.
check: setup
	$(BIN)/ruff check --select F,E9 domain streams projections gateway tally tests bench
	$(BIN)/mypy

test-unit: setup
	$(BIN)/python -m pytest tests/unit

test-integration: setup kafka services
	$(BIN)/python -m pytest tests/integration

test-e2e: setup kafka services
	$(BIN)/python -m pytest tests/e2e

# A local Apache Kafka broker (KRaft, 127.0.0.1:9092) for the integration tests; idempotent.
kafka:
	scripts/kafka.sh up

# Redis and PostgreSQL on loopback (Debian packages, installed when missing); idempotent.
services:
	scripts/services.sh up

bench: setup
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) var build *.egg-info
