# strategy-kit: `make demo` renders the demo client's report; `make test` runs every test.
# Both create .venv and install the project first (skipped when already up to date).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SETUP  := $(VENV)/.setup-done
KERNEL := strategy-kit
DEMO_SOURCES := $(wildcard strategy_kit/demo.py strategy_kit/demo/*.py)

.PHONY: demo test check lab setup clean-demo help
.DEFAULT_GOAL := help

help:
	@echo "make demo   build the demo client and render its report (prints the PDF's path)"
	@echo "make test   run the checks, then the test suite (pytest and the notebooks under nbval)"
	@echo "make check  the layers (import-linter), lint and format (ruff), types (mypy)"
	@echo "make lab    open JupyterLab with the project's kernel"

setup: $(SETUP)

$(SETUP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "strategy-kit needs Python >= 3.10; run make PYTHON=python3.11 (or newer)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing strategy-kit and its dependencies into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dask]'
	@$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "strategy-kit" >/dev/null
	@touch $@

data/demo/client.yml: $(SETUP) $(DEMO_SOURCES)
	@$(BIN)/strategy-kit demo --force >/dev/null

demo: $(SETUP) data/demo/client.yml
	@$(BIN)/strategy-kit import demo
	@$(BIN)/strategy-kit report demo

check: $(SETUP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: check data/demo/client.yml
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbval-lax --nbval-sanitize-with notebooks/sanitize.cfg notebooks/ -p no:cacheprovider

# Containers often run as root, which JupyterLab refuses without --allow-root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(SETUP) data/demo/client.yml
	$(BIN)/jupyter lab --notebook-dir=. --MappingKernelManager.default_kernel_name=$(KERNEL) $(LAB_ROOT)

clean-demo:
	rm -rf data/demo reports/demo
