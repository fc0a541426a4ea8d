# The one place that knows how to install, run, test, lint and reset.
# Quick start: `make run` (serve the seeded site) and `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: help install lock upgrade run serve test coverage lint format migrate seed reset-db bench load wrk

help:
	@echo "make run       install, migrate, seed and serve on 127.0.0.1:$(PORT) (debug on)"
	@echo "make serve     serve as production does: collectstatic, migrate, seed, gunicorn"
	@echo "make test      install and run the whole test suite, browser tests included"
	@echo "make coverage  make test, then how much of the site's code the tests ran (ARGS as for make test)"
	@echo "make lock      update uv.lock after editing the dependencies in pyproject.toml"
	@echo "make upgrade   refresh uv.lock to the newest releases pyproject.toml allows, then install"
	@echo "make lint      pre-commit's checks (ruff, django-upgrade, djhtml, pyproject-fmt), as CI runs them"
	@echo "make format    the same tools, fixing what they can"
	@echo "make reset-db  delete the local SQLite database, then migrate and seed"
	@echo "make bench     figures per page on a synthetic catalogue, into bench/RESULTS.md"
	@echo "make load      32 readers and an editor for LOAD_SECONDS (60) on PostgreSQL"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed; set PYTHON=python3.x"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# uv installs from uv.lock into .venv, with the Python that made .venv, and
# never downloads a Python of its own. uv itself is pinned here and put into
# .venv by its pip: nothing to install on the machine beforehand.
UV_VERSION := 0.13.9
UV := $(BIN)/uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON := $(CURDIR)/$(BIN)/python
export UV_PYTHON_DOWNLOADS := never

$(VENV)/.uv-$(UV_VERSION): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@touch $@

# Reinstall only when the lock or the declared dependencies change. --locked
# refuses a uv.lock that no longer matches pyproject.toml: after editing the
# dependencies, run `make lock` (or `make upgrade`) and commit uv.lock.
$(VENV)/.installed: pyproject.toml uv.lock | $(VENV)/.uv-$(UV_VERSION)
	$(UV) sync --locked --extra dev
	@touch $@

install: $(VENV)/.installed

# uv.lock again after pyproject.toml's dependencies change; other pins stay.
lock: | $(VENV)/.uv-$(UV_VERSION)
	$(UV) lock
	$(MAKE) install

# Every dependency to the newest release its range in pyproject.toml allows.
upgrade: | $(VENV)/.uv-$(UV_VERSION)
	$(UV) lock --upgrade
	$(MAKE) install

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed

run: export DJANGO_DEBUG := 1
run: seed
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# As production runs: debug off, fingerprinted static files, the front
# caches (FRONT_CACHE_URLS, if any) emptied of the last release's pages,
# gunicorn. Needs DJANGO_SECRET_KEY; over plain HTTP on loopback, see docs/operations.md.
serve: install
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	$(MANAGE) seed
	$(MANAGE) purge_front_caches --all
	$(BIN)/gunicorn config.wsgi

# The browser suite's axe-core and Nu Html Checker (tests/browser), from
# package-lock.json; installed again only when it changes. Without npm, or
# if npm fails, the suite still runs: the browser tests say what is missing
# and are skipped (or fail, with REQUIRE_BROWSER_TESTS=1). A run that
# leaves the browser tests out (ARGS="-m 'not browser'") does without them.
NODE_TOOLS := $(if $(wildcard package.json),$(if $(findstring not browser,$(ARGS)),,node_modules/.package-lock.json))

node_modules/.package-lock.json: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm not found: no axe-core or vnu-jar for the browser tests."; \
	else \
		echo "npm ci: axe-core and the Nu Html Checker, for the browser tests"; \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@ \
			|| echo "npm ci failed: no axe-core or vnu-jar for the browser tests."; \
	fi

# The suite's processes keep the bytecode they compile (in __pycache__,
# which git ignores; .venv's too), even where PYTHONDONTWRITEBYTECODE is
# set, as in some containers: otherwise each test process compiles Django
# and the libraries again and rewrites the assertions of every test module
# and pytest plugin, and so does each manage.py and server the tests start
# (2 to 3 s of CPU each on a small machine).
test coverage: export PYTHONDONTWRITEBYTECODE :=

test: install $(NODE_TOOLS)
	$(BIN)/pytest $(ARGS)

# make test with a coverage report of the site's code (pyproject.toml says
# which). It counts code run in the pytest process: the browser tests' site
# runs under gunicorn in a subprocess and adds nothing.
coverage: install $(NODE_TOOLS)
	$(BIN)/pytest --cov --cov-report=term $(ARGS)

# The checks in .pre-commit-config.yaml, on every file git tracks (a new file
# once added): what CI runs, and what the commit hook runs on staged files.
lint: install
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

# The same hooks fix what they can; the second run shows what is left.
format: install
	$(BIN)/pre-commit run --all-files || $(BIN)/pre-commit run --all-files

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

# Figures per page kind in a scratch database per size (<size>_bench.sqlite3,
# or <name>_<size>_bench beside the PostgreSQL database DATABASE_URL names), written to
# bench/RESULTS.md. BENCH_TREATMENTS=1000,10000 measures each size.
bench: install wrk
	$(BIN)/python -m bench bench

# 32 readers and an editor, on PostgreSQL (DATABASE_URL, by default the local
# server's postgres database), in a scratch <name>_load database.
load: install wrk
	$(BIN)/python -m bench load
