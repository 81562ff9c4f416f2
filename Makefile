# Newsroom: `make run` for the demo site, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# `make run` is local development: DEBUG on, SQLite unless DATABASE_URL says otherwise.
DEV := DEBUG=1

.PHONY: install run migrate demo test bench lint format clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Newsroom cần Python 3.11 trở lên (Python 3.11+ is required)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: $(INSTALLED)
	$(DEV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV) $(BIN)/python manage.py load_demo

run: demo
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(INSTALLED)
	$(BIN)/pytest

# Measurements, not tests: PostgreSQL and Redis on 127.0.0.1, Debian's wrk (tests/bench/).
bench: $(INSTALLED)
	$(BIN)/python tests/bench/views.py

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .ruff_cache *.egg-info
