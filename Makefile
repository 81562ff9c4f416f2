# Newsroom: `make run` for the demo site, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# `make run` is local development: DEBUG on, SQLite unless DATABASE_URL says otherwise.
DEV := DEBUG=1

.PHONY: install run migrate demo serve test bench loadtest lint format clean screenshots

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Newsroom cần Python 3.11 trở lên (Python 3.11+ is required)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

# Migrations say how many they applied, not a line each.
migrate: $(INSTALLED)
	@pending=$$($(DEV) $(BIN)/python manage.py showmigrations --plan | grep -c '^\[ \]'); \
	$(DEV) $(BIN)/python manage.py migrate --noinput -v0 && \
	if [ "$${pending:-0}" -gt 0 ]; then echo "Cơ sở dữ liệu: đã áp dụng $$pending migration."; \
	else echo "Cơ sở dữ liệu: đã cập nhật, không có migration mới."; fi

# The demo newsroom, then readers' views of its last days ("Xem nhiều nhất" shows at once). The
# login address it prints names the port `make run` serves (PORT, 8000 by default).
demo: migrate
	$(DEV) $(BIN)/python manage.py load_demo --port $${PORT:-8000}
	$(DEV) $(BIN)/python manage.py load_demo_views

# A site is a web server and the processes beside it (Procfile, Procfile.dev), which honcho
# starts together and stops together on Ctrl-C. The Procfiles say `python` and `gunicorn`: the
# virtualenv's bin goes first on PATH. Unbuffered output shows each line as it is written.
PROCESSES = PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONUNBUFFERED=1 $(BIN)/honcho start

# The development server on http://127.0.0.1:8000/ (another port with PORT=...), the view
# flusher and the schedule refresher.
run: demo
	$(DEV) $(PROCESSES) -f Procfile.dev -p $${PORT:-8000}

# The production processes (Procfile) over the configured database (DATABASE_URL; SQLite by
# default), DEBUG off: gunicorn with 2 x cores + 1 workers (WEB_CONCURRENCY), static files
# through whitenoise with hashed names, the view flusher and the schedule refresher.
# Without a SECRET_KEY in the environment, a random one is made for this run. Plain http on
# loopback unless HTTPS=1 (behind the TLS proxy in production: docs/operations.md).
SERVE_ENV = DEBUG=0 SERVE_MEDIA=$${SERVE_MEDIA:-1} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
	HTTPS=$${HTTPS:-0} \
	SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}

serve: $(INSTALLED)
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(PROCESSES) -f Procfile

test: $(INSTALLED)
	$(BIN)/pytest

# Measurements, not tests: PostgreSQL and Redis on 127.0.0.1, Debian's wrk (tests/bench/).
# The admin's article list, form and workflow panel and the phone home page, as PNGs in
# docs/screenshots/ (a throwaway demo database, Debian's Chromium).
screenshots: $(INSTALLED)
	$(DEV) $(BIN)/python -m tests.browser.screenshots

bench: $(INSTALLED)
	$(BIN)/python tests/bench/views.py
	cd tests/bench && BENCH_SIZES=$${BENCH_SIZES:-10000,1000000} ../../$(BIN)/python pages.py

# 50 readers and their view beacons against the production server, then the same with PostgreSQL
# restarted and with Redis stopped halfway: private PostgreSQL and Redis servers of its own.
loadtest: $(INSTALLED)
	$(BIN)/python tests/load/run.py

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .ruff_cache *.egg-info
