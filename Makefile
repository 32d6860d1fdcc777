# Partnerskap: `make run` starts the product with demo data, `make test` runs the whole test suite.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON_VERSION := $(shell cat .python-version)
# The interpreter named in .python-version: pyenv's, or python3.13 on PATH.
BASE_PYTHON ?= $(shell (pyenv root >/dev/null 2>&1 && ls -d "$$(pyenv root)/versions/$(PYTHON_VERSION)/bin/python" 2>/dev/null) || command -v python3.13 || command -v python3)
DEMO_PASSWORD ?= partnerskap-demo
TEST_DATABASE_URL ?=

.PHONY: run test venv lint lint-fast licences audit test-unit test-db test-browser messages browser-deps clean

$(VENV)/.installed: requirements.txt .python-version
	@$(BASE_PYTHON) -c 'import sys; v=open(".python-version").read().strip(); \
	  sys.exit(0 if ".".join(map(str, sys.version_info[:2])) == ".".join(v.split(".")[:2]) else \
	  f"Python {v} is needed (found {sys.version.split()[0]}). Install it, e.g. with pyenv install {v}.")'
	@test -d $(VENV) || $(BASE_PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	@touch $@

venv: $(VENV)/.installed

messages: venv
	@command -v msgfmt >/dev/null || (echo "Installing gettext (msgfmt)…" && apt-get install -y -qq gettext >/dev/null)
	$(PY) manage.py compilemessages --ignore=.venv -v0

run: venv messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"
	@echo
	@echo "  Partnerskap runs on http://127.0.0.1:$(PORT)/"
	@echo "  Log in as handlaggare, controller, plattform (keeps the national PKV), partner-reningsborg,"
	@echo "  partner-skyddsvarnet or partner-tidigt (Tidigt föräldrastöd works with both municipalities),"
	@echo "  or as handlaggare-molndal (Mölndals stad, a second municipality: sees only Mölndal's agreements)"
	@echo "  with the password $(DEMO_PASSWORD)"
	@echo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# One lint, the same everywhere: pre-commit runs the fast part (lint-fast) on changed files, CI all of it.
lint-fast: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint apps --lint --profile=django
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(PY) scripts/check_spdx.py

lint: lint-fast messages licences audit
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) manage.py check
	$(PY) scripts/check_translations.py

licences: venv
	$(PY) scripts/check_licences.py

audit: venv
	$(PY) scripts/audit_dependencies.py

browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null)

# The whole suite: lint, pure rules, database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set), browser.
test: venv messages lint browser-deps
	DATABASE_URL= $(PY) -m pytest -p no:cacheprovider -q -m "not browser" -n 2
	@if [ -n "$(TEST_DATABASE_URL)" ]; then \
	  echo "== PostgreSQL: $(TEST_DATABASE_URL)"; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" $(PY) -m pytest -p no:cacheprovider -q -m "not browser" -n 2 tests/apps; \
	fi
	DATABASE_URL="$(TEST_DATABASE_URL)" DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -p no:cacheprovider -q -m browser

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
