# Two commands set everything up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format install browser web clean bench

PORT ?= 8000

run: install browser web
	@$(BIN)/python -c "import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); sys.exit(0 if s.connect_ex(('127.0.0.1', $(PORT))) else 1)" \
	  || { echo "error: port $(PORT) is in use (another loadscout?): stop it, or run \`make run PORT=8001\`"; exit 2; }
	$(BIN)/loadscout serve --host 127.0.0.1 --port $(PORT)

test: install browser web lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	bash bench/run.sh

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

browser:
	bash scripts/ensure-chromium.sh

web:
	@if [ -f web/package.json ]; then bash scripts/build-web.sh; fi

clean:
	rm -rf $(VENV) web/node_modules web/dist .pytest_cache .mypy_cache .ruff_cache
