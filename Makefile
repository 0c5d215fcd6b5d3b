# The two commands: `make run` (set up and serve the demo) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint install install-test lock serve migrate demo check clean

run: install migrate demo serve

test: install-test
	$(PY) -m pytest

# The rules in pyproject.toml: ruff's lint rules and code format, and the import contracts (no
# circles, the apps in their layers). `$(VENV)/bin/ruff format .` applies the format.
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/base.txt requirements/test.txt | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes -r requirements/base.txt -r requirements/test.txt
	touch $(VENV)/.installed-base $@

migrate:
	@mkdir -p var
	$(PY) manage.py migrate --noinput

demo:
	$(PY) manage.py load_demo

serve:
	@echo "Serving http://127.0.0.1:8000 (Ctrl+C to stop). Admin: http://127.0.0.1:8000/admin/"
	@echo "Demo logins (organiser, councillor, officer): as load_demo printed them, or README.md, Quick start."
	$(PY) manage.py runserver 127.0.0.1:8000

# Regenerate the lock files after changing requirements/*.in.
lock: install
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --allow-unsafe --generate-hashes -o requirements/base.txt requirements/base.in
	$(VENV)/bin/pip-compile --quiet --strip-extras --allow-unsafe --generate-hashes -o requirements/test.txt requirements/test.in

clean:
	rm -rf $(VENV) var staticfiles
