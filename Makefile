# ipec: two commands for a new user: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql://root@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help install chromium run serve migrate demo test test-sqlite test-pg test-browser lint fmt bench i18n clean

help: ## List every target
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  \033[36m%-13s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install ipec with its pinned dependencies

chromium: ## Install Debian's Chromium for the browser tests (apt-get; needs root or sudo)
	@if command -v chromium >/dev/null 2>&1; then echo "chromium: $$(command -v chromium)"; else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null && \
	  echo "chromium installed: $$(command -v chromium)"; fi

migrate: install ## Bring var/ipec.db (or IPEC_DATABASE_URL) to the newest schema
	$(BIN)/ipec db upgrade

demo: migrate ## Load the demo scenario if the database is empty, and print the demo logins
	$(BIN)/ipec demo load --if-empty

run: demo ## Serve a node with demo data at http://127.0.0.1:8000 (SQLite var/ipec.db)
	$(BIN)/ipec serve

serve: migrate ## Serve the node without loading demo data
	$(BIN)/ipec serve

test: install chromium ## Import contracts, the whole suite on SQLite, then the backend subset on PostgreSQL
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) -p no:cacheprovider tests
	IPEC_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -p no:cacheprovider -m backend tests

test-sqlite: install ## The whole suite on SQLite only
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) tests

test-pg: install ## The backend subset on PostgreSQL only
	IPEC_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -m backend tests

test-browser: install chromium ## Only the browser tests (Chromium through Playwright)
	$(BIN)/pytest -q -m browser tests

lint: install ## ruff, mypy (strict on the pure cores) and the import-linter contracts
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: install ## Fix what ruff can fix
	$(BIN)/ruff check --fix src tests bench

bench: install ## Run every benchmark in bench/ (prints figures, saves bench/results/*.json)
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

i18n: install ## Extract page texts and update the French and Spanish catalogues
	$(BIN)/pybabel extract -F babel.cfg -k N_ -o src/ipec/locales/messages.pot .
	$(BIN)/pybabel update -i src/ipec/locales/messages.pot -d src/ipec/locales --no-fuzzy-matching

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
