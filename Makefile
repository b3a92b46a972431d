# Doorstroom — the two commands a developer needs: `make run` and `make test`.
# Everything is installed into .venv from the lock files in requirements/.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYTEST_ARGS ?=
SCALE ?= s

export DJANGO_SETTINGS_MODULE := config.settings

.DEFAULT_GOAL := help
.PHONY: help run test test-browser lint format messages lock clean bench bench-matching documents api-fuzz load-test load

help:
	@echo "make run    - install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install and run lint + the whole test suite (DATABASE_URL selects the database)"
	@echo "make lint   - ruff, mypy and bandit (security lint)"
	@echo "make test-browser - only the browser tests (needs Chromium)"
	@echo "make api-fuzz - schemathesis against the REST API's schema (throwaway demo database)"
	@echo "make messages - update and compile the translations"
	@echo "make lock   - re-resolve requirements/*.txt from pyproject.toml"
	@echo "make bench  - benchmarks (not part of make test): pages on SQLite and PostgreSQL at BENCH_SCALES (default s m) -> docs/performance.md"
	@echo "make bench-matching - only the matching benchmark (5,000 workplaces / 20,000 clients)"
	@echo "make load SCALE=s|m|l - generate_load: large synthetic data into an empty, migrated database (DATABASE_URL)"
	@echo "make documents - render every PDF document from the demo data, with a PNG of page 1, into docs/documents/"
	@echo "make load-test - locust against gunicorn on a throwaway PostgreSQL, 20 and 50 users (SCALE=s|m|l)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Doorstroom needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.main-installed: requirements/main.txt | $(PY)
	$(BIN)/pip install -q -r requirements/main.txt
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.main-installed
	$(BIN)/pip install -q -r requirements/dev.txt
	@touch $@

var:
	@mkdir -p var/media

run: $(VENV)/.main-installed var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	@bin/serve $(PORT)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/bandit -q -r doorstroom -c pyproject.toml

test: $(VENV)/.dev-installed lint
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)
	$(if $(PYTEST_ARGS),@echo "(a partial run: the rules coverage gate is skipped)",$(BIN)/coverage report --include='doorstroom/rules/*' --fail-under=100 --skip-covered --show-missing)

bench: $(VENV)/.main-installed
	PY=$(PY) bin/bench

bench-matching: $(VENV)/.main-installed
	$(PY) -m bench.matching

load: $(VENV)/.main-installed
	$(PY) manage.py generate_load --scale $(SCALE)

documents: $(VENV)/.dev-installed
	$(PY) docs/documents/render.py

test-browser: $(VENV)/.dev-installed
	$(BIN)/pytest -m browser -p no:cacheprovider --no-cov

api-fuzz: $(VENV)/.dev-installed
	bin/api-fuzz

# locust lives in its own venv (requirements/load.txt): gevent and Flask stay out of .venv.
LOAD_VENV := .venv-load

$(LOAD_VENV)/.load-installed: requirements/load.txt
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install -q -r requirements/load.txt
	@touch $@

load-test: $(VENV)/.main-installed $(LOAD_VENV)/.load-installed
	LOCUST=$(LOAD_VENV)/bin/locust bin/load-test

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.dev-installed
	$(PY) manage.py makemessages -l nl_BE -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

lock: $(VENV)/.dev-installed
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements/main.txt pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe --extra dev -o requirements/dev.txt pyproject.toml
	$(PY) -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['load']))" | \
	  CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe -o requirements/load.txt -

clean:
	rm -rf $(VENV) $(LOAD_VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
