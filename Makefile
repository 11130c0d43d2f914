# Packing Station. Every target sets up .venv first if needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# One stamp per Python asked for: a venv made by another Python version is
# rebuilt. A second venv: make PYTHON=python3.13 VENV=.venv-3.13 test
STAMP := $(VENV)/.installed-$(notdir $(PYTHON))
VERSION_OF = -c 'import sys; print("%d.%d" % sys.version_info[:2])'
DEMO_DIR ?= .demo

.PHONY: setup test demo demo-warehouse bench lint format translations dist constraints clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Packing Station needs Python 3.11 or newer; this is " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@if [ -x $(PY) ] && [ "$$($(PY) $(VERSION_OF))" != "$$($(PYTHON) $(VERSION_OF))" ]; then \
	  echo "$(VENV) was made by another Python version: making it again"; rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest

demo: $(STAMP)
	$(PY) -m station.ui.qt_check
	$(PY) -m station --data-dir $(DEMO_DIR) demo

# A hub and three bench windows on this machine (station demo --benches 3).
demo-warehouse: $(STAMP)
	$(PY) -m station.ui.qt_check
	$(PY) -m station --data-dir $(DEMO_DIR)-warehouse demo --benches 3

bench: $(STAMP)
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m bench $(NAMES)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

translations: $(STAMP)
	$(PY) -m station.ui.translations update

dist: $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dist]'
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/station.spec
	dist/station/station --version
	D=$$(mktemp -d) && export QT_QPA_PLATFORM=offscreen \
	  && dist/station/station --data-dir "$$D" db check \
	  && dist/station/station-cli --data-dir "$$D/demo" demo --no-gui --orders 5 \
	  && dist/station/station --data-dir "$$D/demo" db check \
	  && dist/station/station --data-dir "$$D/demo" run --smoke \
	  && dist/station/station-cli --data-dir "$$D/warehouse" demo --benches 2 --orders 5 --smoke \
	  && rm -rf "$$D"

# constraints.txt: every version a fresh venv installs today, for make dist.
# Refresh after changing a dependency in pyproject.toml, and commit the file.
constraints:
	rm -rf .venv-constraints
	$(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/python -m pip install --quiet --upgrade pip
	.venv-constraints/bin/python -m pip install --quiet -e '.[dev,dist]'
	{ echo "# make constraints: the versions make dist installs (pip install -c)."; \
	  .venv-constraints/bin/python -m pip freeze --all --exclude-editable; } > constraints.txt
	rm -rf .venv-constraints

clean:
	rm -rf $(VENV) .venv-* $(DEMO_DIR) $(DEMO_DIR)-warehouse build dist .pytest_cache .ruff_cache .mypy_cache .hypothesis
