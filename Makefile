# Two commands: `make run` (install and start the app on the embedded DuckDB with demo data)
# and `make test` (install the test dependencies and run the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/accompaniment demo --if-empty
	$(BIN)/streamlit run app.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.run

screenshots: $(VENV)/.installed-test
	ACCOMPANIMENT_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q tests/e2e/test_accessibility.py tests/e2e/test_scorecard.py tests/e2e/test_reporting_cycle.py
