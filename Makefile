# Townsquare: `make run` to try it, `make test` to check it. Both set themselves up.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
TSQ := $(VENV)/bin/townsquare
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
TEST_TOOLS ?= scripts/ensure-test-tools
TEST_ENV := SECRET_KEY=test-only-secret DEBUG=0 \
	TOWNSQUARE_DATA_DIR=$(CURDIR)/var/test TASKS_BACKEND=db

.PHONY: run test test-sqlite test-postgres lint bench messages clean

$(STAMP): pyproject.toml
	@py=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-1} SECURE_COOKIES=$${SECURE_COOKIES:-0} $(TSQ) demo
	DEBUG=$${DEBUG:-1} SECURE_COOKIES=$${SECURE_COOKIES:-0} $(TSQ) up --host $(HOST) --port $(PORT)

# Without PostgreSQL the second run is skipped, or fails where TOWNSQUARE_REQUIRE_SERVICES=1
# (CI): scripts/pg-reachable decides and says why.
test: $(STAMP)
	@$(TEST_TOOLS)
	@status=0; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	scripts/pg-reachable $(PY) "$(TEST_DATABASE_URL)"; reachable=$$?; \
	if [ $$reachable = 0 ]; then \
		$(MAKE) --no-print-directory test-postgres || status=1; \
	elif [ $$reachable != 1 ]; then \
		status=1; \
	fi; \
	exit $$status

test-sqlite: $(STAMP)
	@echo "== Test suite on SQLite =="
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@echo "== Test suite on PostgreSQL ($(TEST_DATABASE_URL)) =="
	$(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -m "not browser and not peers" $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(TEST_ENV) $(TSQ) makemigrations --check --dry-run

messages: $(STAMP)
	cd townsquare && SECRET_KEY=x TOWNSQUARE_DATA_DIR=$(CURDIR)/var ../$(TSQ) makemessages -l de --no-location --ignore 'tests/*' --ignore 'static/*'
	cd townsquare && SECRET_KEY=x TOWNSQUARE_DATA_DIR=$(CURDIR)/var ../$(TSQ) compilemessages

bench: $(STAMP)
	$(TEST_ENV) $(PY) -m bench

clean:
	rm -rf $(VENV) var/test
