# `make run` and `make test` set everything up themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SEED := content/okx-head-of-engineering.yaml

.PHONY: run test setup browser-tools migrate seed lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var/static

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py import_guide $(SEED)

# Web server, Celery worker and beat together (Procfile.dev, run by honcho). With no REDIS_URL the
# broker is kombu's filesystem transport under var/broker/ and e-mails land in var/mail/.
run: seed
	mkdir -p var/broker/queue var/broker/processed var/broker/control var/mail
	$(VENV)/bin/honcho -f Procfile.dev start

# The browser suite needs Debian's Chromium and the Nu HTML checker; install them when missing.
browser-tools:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	@test -f node_modules/vnu-jar/build/dist/vnu.jar || npm install --ignore-scripts --no-audit --no-fund --silent

# One pytest process per core (pytest-xdist), each with its own test database and cache prefix;
# `--dist load` hands each process its tests in collection order, so browser tests stay last.
test: setup browser-tools
	$(PY) -m pytest -n auto --dist load

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Benchmarks, not tests: gunicorn + wrk against PostgreSQL and Redis at two content sizes, the
# reminder dispatch and a profile; writes bench/results/latest.md and prints it (see bench/run.py).
bench: setup
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
