# Packing Station. Every target sets up .venv first if needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DIR ?= .demo

.PHONY: setup test demo bench lint format translations dist clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Packing Station needs Python 3.11 or newer; this is " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

test: $(STAMP)
	$(PY) -m ruff check .
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest

demo: $(STAMP)
	$(PY) -m station.ui.qt_check
	$(PY) -m station --data-dir $(DEMO_DIR) demo

bench: $(STAMP)
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m bench $(NAMES)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

translations: $(STAMP)
	$(PY) -m station.ui.translations update

dist: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dist]'
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/station.spec
	dist/station/station --version
	D=$$(mktemp -d) && export QT_QPA_PLATFORM=offscreen \
	  && dist/station/station --data-dir "$$D" db check \
	  && dist/station/station-cli --data-dir "$$D/demo" demo --no-gui --orders 5 \
	  && dist/station/station --data-dir "$$D/demo" db check \
	  && dist/station/station --data-dir "$$D/demo" run --smoke \
	  && rm -rf "$$D"

clean:
	rm -rf $(VENV) $(DEMO_DIR) build dist .pytest_cache .ruff_cache .hypothesis
