# Two commands: `make run` serves the demo practice, `make test` checks everything.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEV := BODYMAP_ENV=development

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Bodymap needs Python 3.11"'
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(DEV) $(BIN)/bodymap migrate --noinput
	$(DEV) $(BIN)/bodymap load_demo
	@echo "Bodymap is starting on http://127.0.0.1:8000 (press Ctrl-C to stop)"
	@# The task worker (reminders, the waitlist) runs beside the server and stops with it.
	@$(DEV) $(BIN)/bodymap db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) DEBUG=true $(BIN)/bodymap runserver 127.0.0.1:8000

test: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# A model change without its migration would reach production as a crash at the first query.
	$(DEV) $(BIN)/bodymap makemigrations --check --dry-run
	$(DEV) $(BIN)/pytest

bench: $(VENV)/.test-installed
	$(BIN)/python bench/plan_bench.py
	$(BIN)/python bench/chart_bench.py
	$(BIN)/python bench/availability_bench.py
	$(BIN)/python bench/billing_bench.py
	nice -n 10 $(BIN)/python bench/audit_bench.py
	nice -n 10 $(BIN)/python bench/scale_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
