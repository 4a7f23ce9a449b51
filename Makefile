# EdLead: the two commands a newcomer runs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.local/bin:$(PATH)
export UV_LINK_MODE ?= copy
UV := uv
PY := $(UV) run --frozen python
APT_UPDATED := var/.apt-updated

.PHONY: help setup pdf-deps run serve test test-deps bench lint format worker clean

help:
	@echo "make run    set up, seed the demo when the database is empty, serve at http://127.0.0.1:8000 with the worker"
	@echo "make serve  production: gunicorn on HOST:PORT (default 127.0.0.1:8000) with the worker; /healthz"
	@echo "make test   set up (chromium included) and run the whole suite on DATABASE_URL (SQLite when unset)"
	@echo "make bench  seed state scale on PostgreSQL and measure pages (BENCH_SCALE=demo|state|both)"
	@echo "make lint   ruff, mypy with django-stubs, makemigrations --check"

## setup: idempotent; installs uv, Python packages, npm packages (Debian's nodejs/npm when missing) and migrates.
setup: .venv/.synced node_modules/.installed pdf-deps
	@mkdir -p var
	@$(PY) manage.py migrate --noinput -v 0

.venv/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --user --quiet uv 2>/dev/null \
	  || python3 -m pip install --user --quiet --break-system-packages uv
	$(UV) sync --frozen
	@touch $@

## pdf-deps: the Debian libraries and fonts WeasyPrint needs for PDFs (Pango, HarfBuzz subsetting, DejaVu).
pdf-deps: .venv/.synced
	@$(PY) -c "import weasyprint" >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q DejaVuSans \
	  && dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; }

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The demo signs in as administrators without an authenticator app: two-factor is not required here.
run: export EDLEAD_MFA_REQUIRED_ROLES :=
run: setup
	@$(PY) manage.py seed_demo --scale demo --if-empty --print-logins
	@$(PY) manage.py seed_metrics
	@echo "EdLead is at http://127.0.0.1:8000 — Ctrl-C stops the web server and the worker."
	@echo "Two-factor sign-in is not required in this demo run; in production it is, by default, for state and district administrators, superintendents and HR (EDLEAD_MFA_REQUIRED_ROLES)."
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	  $(PY) manage.py run_worker & \
	  $(PY) manage.py runserver 127.0.0.1:8000 --noreload & \
	  wait

## worker: the task worker with the recurring-job scheduler and its heartbeat (read by /healthz).
worker: setup
	$(PY) manage.py run_worker

## serve: production serving: gunicorn on HOST:PORT (127.0.0.1:8000 unless set), the worker beside it;
## either one stopping stops both (a process supervisor restarts the pair).
serve: setup
	@$(PY) manage.py collectstatic --noinput -v 0
	@echo "EdLead (gunicorn) is at http://$${HOST:-127.0.0.1}:$${PORT:-8000} — health at /healthz; Ctrl-C stops the server and the worker."
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	  $(PY) manage.py run_worker & \
	  $(UV) run --frozen gunicorn edlead.wsgi --bind "$${HOST:-127.0.0.1}:$${PORT:-8000}" \
	    --workers "$${WEB_CONCURRENCY:-3}" --no-control-socket --access-logfile - & \
	  wait -n

## test: everything run needs, plus Debian's chromium for the browser tests. The suite runs in
## TEST_WORKERS processes (pytest-xdist; `auto` = one per core, `0` = in this process only), each
## with its own test database; idle workers take tests from busy ones (--dist worksteal).
TEST_WORKERS ?= auto
test: setup test-deps
	$(UV) run --frozen pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test-deps:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v pdftoppm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; }

bench: setup
	$(UV) run --frozen python bench/run.py

lint: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy edlead bench
	$(PY) manage.py makemigrations --check --dry-run

format: setup
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

clean:
	rm -rf var/edlead.sqlite3* var/static
