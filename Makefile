# The one place that knows how to install, run, test, lint and reset.
# Quick start: `make run` (serve the seeded site) and `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: help install run serve test lint format migrate seed reset-db bench load wrk

help:
	@echo "make run       install, migrate, seed and serve on 127.0.0.1:$(PORT) (debug on)"
	@echo "make serve     serve as production does: collectstatic, migrate, seed, gunicorn"
	@echo "make test      install and run the whole test suite, browser tests included"
	@echo "make lint      ruff: lint and formatting check"
	@echo "make format    ruff: fix what it can and format"
	@echo "make reset-db  delete the local SQLite database, then migrate and seed"
	@echo "make bench     figures per page on a synthetic catalogue, into bench/RESULTS.md"
	@echo "make load      32 readers and an editor for LOAD_SECONDS (60) on PostgreSQL"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed; set PYTHON=python3.x"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the declared dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed

run: export DJANGO_DEBUG := 1
run: seed
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# As production runs: debug off, fingerprinted static files, gunicorn.
# Needs DJANGO_SECRET_KEY; over plain HTTP on loopback, see README.
serve: install
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	$(MANAGE) seed
	$(BIN)/gunicorn config.wsgi

# The browser suite's axe-core and Nu Html Checker (tests/browser), from
# package-lock.json; installed again only when it changes. Without npm, or
# if npm fails, the suite still runs: the browser tests say what is missing
# and are skipped (or fail, with REQUIRE_BROWSER_TESTS=1).
NODE_TOOLS := $(if $(wildcard package.json),node_modules/.package-lock.json)

node_modules/.package-lock.json: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm not found: no axe-core or vnu-jar for the browser tests."; \
	else \
		echo "npm ci: axe-core and the Nu Html Checker, for the browser tests"; \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@ \
			|| echo "npm ci failed: no axe-core or vnu-jar for the browser tests."; \
	fi

test: install $(NODE_TOOLS)
	$(BIN)/pytest $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

reset-db: export DJANGO_DEBUG := 1
reset-db: install
	rm -f db.sqlite3
	$(MAKE) seed

# wrk drives the requests of `make bench` and `make load`: Debian's package,
# installed here if missing (elsewhere: the system's package manager).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing wrk (apt-get install wrk)"; \
		as_root=""; [ "$$(id -u)" -eq 0 ] || as_root=sudo; \
		$$as_root apt-get update -qq && \
		$$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	} || { echo "wrk is needed and could not be installed: install it (apt-get install wrk, brew install wrk)"; exit 1; }

# Figures per page kind in a scratch database (bench.sqlite3, or <name>_bench
# beside the PostgreSQL database DATABASE_URL names), written to
# bench/RESULTS.md. BENCH_TREATMENTS=1000,10000 measures each size.
bench: install wrk
	$(BIN)/python -m bench bench

# 32 readers and an editor, on PostgreSQL (DATABASE_URL, by default the local
# server's postgres database), in a scratch <name>_load database.
load: install wrk
	$(BIN)/python -m bench load
