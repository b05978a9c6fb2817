# OpenIOM: the two commands that matter are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

.PHONY: demo test setup system-packages lint typecheck pytest pg-test browser-test assets ci clean

## demo: install everything, set up the demo partnership (SQLite, synthetic data) and serve it on :8000
demo: setup
	$(BIN)/openiom demo

## test: every check — ruff (lint and format), mypy, and the pytest suite (SQLite)
test: setup lint typecheck pytest

setup: $(BIN)/.installed node_modules/.installed src/openiom/static/build/openiom.css

system-packages:
	scripts/install-system-packages.sh runtime

# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set, every Python process (each
# test worker, each command a test runs) would otherwise compile every module it imports, ~2 s each.
$(BIN)/.installed: pyproject.toml uv.lock
	@$(MAKE) --no-print-directory system-packages
	test -x $(BIN)/python || python3 -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv sync --frozen --python $(BIN)/python --quiet --compile-bytecode
	$(BIN)/python -m compileall -q src >/dev/null
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/openiom/static/build/openiom.css: node_modules/.installed frontend/openiom.scss scripts/build-assets.sh
	scripts/build-assets.sh

assets:
	scripts/build-assets.sh

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/.installed
	$(BIN)/mypy

# The suite runs on PYTEST_WORKERS processes (pytest-xdist, one test database each; a module's
# tests stay together so its module-scoped data is built once). PYTEST_WORKERS=0 runs it in one.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadscope)

pytest: setup
	$(BIN)/pytest $(PYTEST_PARALLEL)

## pg-test: the same pytest suite against PostgreSQL (DATABASE_URL, default postgres@127.0.0.1/openiom)
pg-test: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/openiom} $(BIN)/pytest $(PYTEST_PARALLEL)

## browser-test: Playwright in Debian's Chromium with axe-core on every page
browser-test: setup
	scripts/install-system-packages.sh browser
	$(BIN)/pytest -m browser -p no:cacheprovider $(PYTEST_PARALLEL)

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules src/openiom/static/build src/openiom/static/vendor var
