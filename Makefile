# pfp-scheduler: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PFP_HOST ?= 127.0.0.1
PFP_PORT ?= 8000
export PFP_HOST PFP_PORT

.PHONY: run test lint bench bench-api bench-solver bench-calendars bench-explain bench-auth bench-fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-installed

## run: install, migrate the database, load the demo programme if empty, serve on PFP_HOST:PFP_PORT
run: $(VENV)/.run-installed
	$(BIN)/pfp-scheduler serve

## test: install with the test extras, lint, and run the whole suite
test: $(VENV)/.test-installed lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

## bench: the benchmark scripts; figures go to stdout and bench/RESULTS.md is written by hand
bench: bench-api bench-solver bench-calendars bench-explain bench-auth bench-fuzz

bench-api: $(VENV)/.test-installed
	$(BIN)/python bench/bench_api.py

bench-solver: $(VENV)/.test-installed
	$(BIN)/python bench/bench_solver.py $(BENCH_ARGS)

bench-calendars: $(VENV)/.test-installed
	$(BIN)/python bench/bench_calendars.py $(BENCH_CALENDARS_ARGS)

bench-explain: $(VENV)/.test-installed
	$(BIN)/python bench/bench_explain.py --write $(BENCH_EXPLAIN_ARGS)

bench-auth: $(VENV)/.test-installed
	$(BIN)/python bench/bench_auth.py $(BENCH_AUTH_ARGS)

bench-fuzz: $(VENV)/.test-installed
	$(BIN)/python bench/bench_fuzz.py --write $(BENCH_FUZZ_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
