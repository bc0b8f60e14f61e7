# Two entry points for newcomers: `make run` and `make test` (see README.md).
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint check-migrations ci demo messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --group dev
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# SQLite and a file-system Celery broker: nothing else needs to run.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	scripts/serve-local

# PostgreSQL and Redis on 127.0.0.1 (started if they are down).
test: install
	scripts/ensure-services
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	$(BIN)/python manage.py makemessages --locale nl --locale en --ignore ".venv/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"
