# Two commands do all set-up on a fresh machine (Python 3.11, make, gcc, git):
#   make demo   – create .venv, install, generate templates + sample regional workbooks, run the pipeline
#   make test   – create .venv, install with test extras, run the test suite
#   make bench  – every benchmark at a small size, then their ratio lines (BENCH_ARGS=--full: full sizes)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DEMO := build/demo

.PHONY: demo test install clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m workbook_tools demo $(DEMO)

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

clean:
	rm -rf build $(VENV) *.egg-info
