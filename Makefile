# kzmigration — on a fresh machine:
#   make run    set up, load the data, serve on http://127.0.0.1:8000 (SQLite, no server needed)
#   make check  lint, then the fast tests (no browser, no subprocess, no server): what to run often
#   make test   set up, lint, run every test (SQLite by default; PostgreSQL when DATABASE_URL=postgres://…); CI runs this
#   make lint   ruff format --check, ruff check, lint-imports, makemigrations --check
#   make check-data   check the data files in fixtures/ (schema, model rules, cross-checks; no database writes)
#   make profile URL=/api/v1/…   where one endpoint's time goes under load (py-spy on the gunicorn workers)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Three workers on two cores: a third of the suite's time is spent waiting on servers, browsers
# and subprocesses, which a third worker fills (whole suite 10.3 → 5.8 min, 2 Dec 2026).
PYTEST_WORKERS ?= 3
# The fast lane waits on nothing, so a third worker only competes for the two cores
# (make check 2:51 with three, 2:13 with two, 3 Dec 2026).
CHECK_WORKERS ?= 2

# Local runs get a throwaway key; production must set DJANGO_SECRET_KEY itself.
export DJANGO_SECRET_KEY ?= local-only-$(shell hostname)-not-for-production

.PHONY: run test check lint setup test-setup migrate load serve clean bench profile check-data

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	mkdir -p var
	$(PY) manage.py collectstatic --noinput -v0
	# Russian and Kazakh message catalogues (.mo files are built, not committed); msgfmt comes with gettext.
	command -v msgfmt >/dev/null || (apt-get install -y gettext || (apt-get update && apt-get install -y gettext))
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# openapi-python-client, for the generated-client test: a venv of its own (requirements-client.txt says why).
CLIENT_VENV := var/client-venv
$(CLIENT_VENV)/.installed: requirements-client.txt
	$(PYTHON) -m venv $(CLIENT_VENV)
	$(CLIENT_VENV)/bin/pip install -q -r requirements-client.txt
	touch $@

test-setup: $(VENV)/.installed-dev $(CLIENT_VENV)/.installed setup
	# Browser and accessibility tests: axe-core, vnu-jar, world-atlas (exact versions, package-lock.json);
	# Debian's chromium for Playwright (never `playwright install`); java for the Nu HTML Checker.
	npm ci --no-audit --no-fund --loglevel=error
	[ -x /usr/bin/chromium ] || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	command -v java >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless)

migrate: setup
	$(PY) manage.py migrate --noinput -v0

load: migrate
	$(PY) manage.py load_kb

check-data: $(VENV)/.installed
	$(PY) manage.py check_data

serve:
	$(PY) manage.py runserver $(HOST):$(PORT) --insecure

run: load serve

# --- Tests (docs/testing.md). One test: .venv/bin/pytest tests/test_search.py::test_russian_words
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# Compiled message catalogues, for the Russian and Kazakh pages (msgfmt comes with gettext).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
$(MO_FILES): %.mo: %.po
	command -v msgfmt >/dev/null || (apt-get install -y gettext || (apt-get update && apt-get install -y gettext))
	msgfmt --check-format -o $@ $<

# The fast lane: the dev venv and the message catalogues only (no npm, chromium, java or PostgreSQL).
check: lint $(MO_FILES)
	$(VENV)/bin/pytest -n $(CHECK_WORKERS) -m "not slow and not browser" $(PYTEST_ARGS)

# The whole suite, as CI runs it.
test: test-setup lint
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --durations=20 $(PYTEST_ARGS)

# --- Performance: `make bench` (docs/performance.md). Quick try: make bench BENCH_SIZES=1000 BENCH_DURATION=5s
$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-bench.txt
	touch $@

bench: $(VENV)/.installed-bench setup
	command -v wrk >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk)
	# PostgreSQL on 127.0.0.1:5432 (started here only if nothing answers; stopped again if so).
	# Redis on 127.0.0.1:6379 (started here only if nothing answers) is the PostgreSQL runs' cache (DB 7).
	bash -c 'set -e; trap "stop_pg_if_started 2>/dev/null || true; stop_redis_if_started 2>/dev/null || true" EXIT; \
	  . .ci/ensure_pg.sh; . .ci/ensure_redis.sh; export BENCH_REDIS_URL="$${BENCH_REDIS_URL-redis://127.0.0.1:6379/7}"; \
	  case "$${BENCH_PG_URL:-}$$DATABASE_URL" in postgres*) export BENCH_PG_URL="$${BENCH_PG_URL:-$${DATABASE_URL%/*}/kzbench}";; esac; \
	  $(PY) bench/run.py'

# The worst requests the documented parameters allow, at 20,000 synthetic instruments (docs/reliability.md):
# PostgreSQL database kzworst (created and dropped), gunicorn on 127.0.0.1:8121; var/bench/worst.{json,md}.
.PHONY: bench-worst
# Where a request's time goes under load (bench/profile.py): py-spy samples the two gunicorn
# workers while wrk keeps URL busy; against var/kzmigration.sqlite3, or the DATABASE_URL given.
profile: $(VENV)/.installed-bench setup
	command -v wrk >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk)
	$(PY) bench/profile.py

bench-worst: setup
	bash -c 'set -e; trap "stop_pg_if_started 2>/dev/null || true" EXIT; . .ci/ensure_pg.sh; \
	  case "$${WORST_PG_URL:-}$$DATABASE_URL" in postgres*) export WORST_PG_URL="$${WORST_PG_URL:-$${DATABASE_URL%/*}/kzworst}";; esac; \
	  $(PY) bench/worst.py'

# --- Scale-out load test: `make loadtest` (docs/deploy.md): 50 clients for 60 s against one address,
# nginx on 127.0.0.1:8210, in front of two gunicorn instances (8211, 8212) sharing PostgreSQL
# (database kzmigration_loadtest) and Redis (127.0.0.1:6379/8); bounded, stops by itself.
# wrk and nginx are Debian's, installed here when missing; LOADTEST_ARGS="--instances 1" for one gunicorn.
.PHONY: loadtest
loadtest: setup
	command -v wrk >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk)
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light)
	bash -c 'set -e; trap "stop_pg_if_started 2>/dev/null || true" EXIT; . .ci/ensure_pg.sh; \
	  export LOADTEST_DATABASE_URL="$${LOADTEST_DATABASE_URL:-$${DATABASE_URL%/*}/kzmigration_loadtest}"; \
	  $(PY) tools/loadtest.py $(LOADTEST_ARGS)'

clean:
	rm -rf $(VENV) staticfiles var/kzmigration.sqlite3
