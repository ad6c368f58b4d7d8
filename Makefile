# The README's two commands: `make run` and `make test`. Each creates .venv if needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint setup goldens bench package clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,package]'
	touch $@

setup: $(VENV)/.installed

run: setup
	tools/system-deps.sh run
	$(VENV)/bin/kiosk

lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy

test: setup
	tools/system-deps.sh test
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

goldens: setup
	$(PY) -m pytest tests/visual --update-goldens

bench: setup
	$(PY) -m bench

# The standalone build (packaging/README.md): dist/kiosk/ and dist/kiosk-onefile.
PACKAGE_ARGS ?= --onefile
package: setup
	$(PY) -c "import PyInstaller" 2>/dev/null || $(PY) -m pip install -q -e '.[package]'
	$(PY) packaging/build.py $(PACKAGE_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis
