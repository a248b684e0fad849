# Townhall: two commands on a fresh machine.
#   make demo   installs everything, migrates var/townhall.sqlite3, loads Northbridge and serves it
#   make test   installs everything and runs every test, on SQLite and on PostgreSQL
.DEFAULT_GOAL := help
SHELL := /bin/sh

PYTHON_BIN := $(shell scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
TOWNHALL := $(VENV)/bin/townhall
STATIC_BUILD := src/townhall/core/static/townhall/build
SIZE ?= small

.PHONY: help demo serve test test-sqlite test-postgres lint format assets messages system install clean bench

help:
	@echo "make demo   install, migrate, load the Northbridge demo council and serve it on http://127.0.0.1:8000"
	@echo "make test   install and run every test on SQLite and PostgreSQL (browser tests included)"
	@echo "make lint   ruff check and format check"
	@echo "make bench  run the benchmarks against reference tools (several minutes)"

# The demo is served as production serves it (settings/demo.py): compressed, cached static
# files and Townhall's own error pages. `townhall` alone defaults to development settings.
demo: export DJANGO_SETTINGS_MODULE ?= townhall.settings.demo
demo: install assets messages
	$(TOWNHALL) migrate --no-input
	$(TOWNHALL) demo --size $(SIZE)
	$(TOWNHALL) serve --demo

test: system install assets messages
	scripts/run-tests

test-sqlite: install assets messages
	scripts/run-tests sqlite

test-postgres: system install assets messages
	scripts/run-tests postgres

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

format: install
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

system:
	scripts/setup-system --with-browser

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@test -n "$(PYTHON_BIN)" || exit 1
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(STATIC_BUILD)/townhall.css

# scripts/build-assets holds the list of files to build and copy: a change to it rebuilds.
$(STATIC_BUILD)/townhall.css: node_modules/.installed scripts/build-assets $(wildcard assets/scss/*.scss assets/js/*.js)
	scripts/build-assets $(STATIC_BUILD)

messages: install
	cd src/townhall && ../../$(TOWNHALL) compilemessages --ignore=.venv -v 0

# Benchmarks (bench/README.md): reference tools go into their own .venv-bench, never into
# Townhall's; each run prints its figures and ratios. Takes several minutes.
BENCH_VENV := .venv-bench
bench: install
	test -x $(BENCH_VENV)/bin/python || $(PYTHON_BIN) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(PY) bench/datastore_ingest.py
	$(PY) bench/datastore_query.py
	scripts/throwaway-postgres sh -c '$(PY) bench/datastore_ingest.py --postgres --skip-sqlite-utils && $(PY) bench/datastore_query.py --postgres'
	$(PY) bench/polling_day.py
	scripts/throwaway-postgres --standby $(PY) bench/polling_day.py --postgres --redis

clean:
	rm -rf $(VENV) node_modules $(STATIC_BUILD) var/static
