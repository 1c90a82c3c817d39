# anjian — the two commands: `make run` (platform on SQLite with the demo zone) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/anjian
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= zone
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get

ifeq ($(filter $(SCALE),zone city province),)
$(error SCALE is zone, city or province, not "$(SCALE)")
endif
# Without DATABASE_URL each demo scale has a SQLite database of its own, with its job queue
# and media beside it: the zone in var/, the others in var/city/ and var/province/. So
# `make run SCALE=city` seeds and serves the city, and `make run` the zone again, both kept.
ifeq ($(DATABASE_URL)$(ANJIAN_VAR_DIR),)
DATA_DIR := var$(if $(filter-out zone,$(SCALE)),/$(SCALE))
export ANJIAN_VAR_DIR := $(CURDIR)/$(DATA_DIR)
SERVED := the $(SCALE) demo in $(DATA_DIR)/anjian.sqlite3 (make run SCALE=zone|city|province switches; each keeps its own)
else
SERVED := $(if $(DATABASE_URL),the database DATABASE_URL names,$(ANJIAN_VAR_DIR)/anjian.sqlite3) (whatever it holds: see seed_demo above)
endif

.PHONY: run setup test lint typecheck test-sqlite test-postgres e2e bench deps test-deps \
        system-deps browser-deps node-deps messages catalogs clean

run: setup
	@echo
	@echo "anjian is at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@echo "Serving $(SERVED)"
	@echo "Demo logins, password anjian-demo: demo-admin demo-officer demo-grid demo-enterprise demo-expert demo-leader demo-department"
	@echo
	@# The job worker (imports, reports, the daily digest) runs beside the web server and stops with it.
	$(MANAGE) run_huey & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

setup: deps node-deps messages
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo --scale $(SCALE) --if-empty

# --- installs: each runs again only when its lock or pin file changes -----------------------
system-deps:
	@command -v msgfmt >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq gettext; }
	@python3 -c 'import venv, ensurepip' 2>/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq python3-venv; }
	@# Rectification notices as PDF embed a Chinese font from fonts-noto-cjk (settings.PDF_CJK_FONTS).
	@[ -d /usr/share/fonts/opentype/noto ] || { $(APT_GET) update -qq && $(APT_GET) install -y -qq fonts-noto-cjk; }

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.deps: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml $(VENV)/.deps
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deps: system-deps $(VENV)/.deps
test-deps: system-deps $(VENV)/.test-deps node-deps browser-deps
node-deps: node_modules/.installed

# Playwright drives Debian's Chromium itself (e2e/conftest.py), so no WebDriver is needed.
browser-deps:
	@[ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/opentype/noto ] || { \
	  $(APT_GET) update -qq && $(APT_GET) install -y -qq chromium fonts-noto-cjk; }

messages: deps
	$(MANAGE) compilemessages -v0 --ignore=.venv --ignore=node_modules

# After adding UI strings: update both catalogs, then fill the new (empty or fuzzy) entries.
catalogs: deps
	$(MANAGE) makemessages -l zh_Hans -l en --no-location --no-obsolete \
	  --ignore=.venv --ignore=node_modules --ignore=e2e --ignore=bench

# --- checks -----------------------------------------------------------------------------------
test: test-deps messages lint typecheck test-sqlite test-postgres e2e
	@echo "make test: all checks passed"

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# The layers and forbidden imports of README's "Layout", as contracts (.importlinter).
	$(VENV)/bin/lint-imports

typecheck:
	$(VENV)/bin/mypy anjian config

test-sqlite:
	$(VENV)/bin/pytest -q anjian

test-postgres:
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q anjian

e2e:
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -q e2e

bench: deps
	$(PY) bench/run.py

clean:
	rm -rf var staticfiles e2e/artifacts
