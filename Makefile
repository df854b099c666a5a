# Two commands: `make run` serves the site with the seeds loaded; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup ingest bench bench-scale check clean-db

$(READY): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(READY)

setup: $(READY)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ingest
	$(PY) manage.py ensure_admin

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

# The tests run on pytest-xdist's workers, one per core (PYTEST_WORKERS=0: all in this one process), a test file
# to a worker (its module fixtures are built once); each worker has its own test database, test_<name>_gw0, ….
PYTEST_WORKERS ?= auto
test: $(READY)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: $(READY)
	$(PY) bench/extract_speed.py

# The scale benchmark (issue 9): N generated events in database bench_N (built once, kept), then the
# app under gunicorn with production settings; prints the table. Not part of CI. Needs DATABASE_URL's
# server to allow CREATE DATABASE. E.g. `make bench-scale N=10000 BENCH_ARGS="--ingest 200"`.
N ?= 1000
BENCH_ARGS ?=
bench-scale: $(READY)
	$(PY) bench/scale.py build --events $(N) --database bench_$(N) --if-missing
	$(PY) bench/runner.py --database bench_$(N) $(BENCH_ARGS)

check: $(READY)
	DEBUG=0 SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-value-0123456789 ALLOWED_HOSTS=example.org \
		DATABASE_URL=$${DATABASE_URL:-postgresql://check@localhost/check} \
		$(PY) manage.py check --deploy --fail-level WARNING

# Stop the embedded PostgreSQL and delete its data folder (.pgdata/).
clean-db: $(READY)
	$(PY) -c 'import config.embedded_db as e; e.stop_and_delete()'
