# Yiwang: `make run` serves the platform with demo data; `make test` runs every check.
# A fresh machine needs only Python 3.11+, pip and apt; everything else is installed here.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test bench lint typecheck unit integration browser-deps demo screenshots clean

$(VENV)/.base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.bench: $(VENV)/.base
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@

# Debian's Chromium (browser tests) and CJK fonts (so pages and screenshots show Chinese).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# Serves the platform at http://127.0.0.1:8000 with the demo province (SQLite in var/, the
# settings' default: every `yiwang` command run from this folder reads the same database).
run: $(VENV)/.base
	$(BIN)/yiwang serve

demo: $(VENV)/.base
	$(BIN)/yiwang demo

lint: $(VENV)/.test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(VENV)/.test
	$(BIN)/mypy

test: $(VENV)/.test browser-deps lint typecheck
	$(BIN)/pytest -q

# Refreshes the README's screenshots in docs/screenshots (the browser tests, writing into the tree).
screenshots: $(VENV)/.test browser-deps
	YIWANG_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser

bench: $(VENV)/.bench
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
