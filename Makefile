# The two set-up commands of the README:
#   make run    start the dashboard on the embedded SQLite database, filled with the real sample incidents
#   make test   lint (ruff, the layer contracts), type-check and run the whole test suite (SQLite, PostgreSQL/PostGIS, headless chromium)
# Everything else is a helper of those two.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat requirements.txt | sha1sum | cut -c1-10)
DEV_STAMP     := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-10)

.PHONY: run test lint typecheck pytest system-deps bench bench-quick geodata sample bundle clean

run: $(RUNTIME_STAMP)
	@echo "Starting the dashboard on http://localhost:$(PORT) (another port: make run PORT=8600)."
	@echo "It loads the gazetteer and the incidents before the first visitor (warm start: 'warm: ready' in the log)."
	$(BIN)/python -m incidents.ui.launch --server.port $(PORT)

test: $(DEV_STAMP) system-deps lint typecheck pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: $(DEV_STAMP)
	REQUIRE_POSTGRES=1 REQUIRE_BROWSER=1 $(BIN)/python -m pytest -n 2 --dist loadgroup

system-deps:
	.ci/install-system-deps

bench: $(DEV_STAMP)
	$(BIN)/python -m bench

bench-quick: $(DEV_STAMP)
	$(BIN)/python -m bench --quick

geodata: $(RUNTIME_STAMP)
	$(BIN)/python -m geodata build

sample: $(RUNTIME_STAMP)
	$(BIN)/python -m incidents sample-build

# The maps' one script (Leaflet, the heat plugin, incidents-map.js): after changing any of them.
bundle: $(RUNTIME_STAMP)
	$(BIN)/python -c "from incidents.analysis.mapping import write_bundle; write_bundle()"

# Installs show pip's progress (one line per package, a bar per download): the first run takes minutes.
PIP_INSTALL := $(BIN)/python -m pip install --progress-bar on --disable-pip-version-check

$(VENV)/bin/python:
	@echo "Creating the virtual environment $(VENV) …"
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/python
	@echo "Installing the dashboard's packages (first run only: about three minutes) …"
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	@echo "Installing the packages for tests and checks (first run only: a few minutes) …"
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
