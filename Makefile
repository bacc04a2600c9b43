# Tally: `make demo` sets up and runs the embedded demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-unit test-integration test-e2e bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: setup
	$(BIN)/tally demo

test: setup
	$(BIN)/python -m pytest tests

test-unit: setup
	$(BIN)/python -m pytest tests/unit

test-integration: setup
	$(BIN)/python -m pytest tests/integration

test-e2e: setup
	$(BIN)/python -m pytest tests/e2e

bench: setup
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) var build *.egg-info
