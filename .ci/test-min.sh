#!/usr/bin/env bash
# Run the test suite on the declared minimum versions of the runtime dependencies.
#
#   bash .ci/test-min.sh                    # fresh venv in .venv-min (downloads everything)
#   MIN_FROM=.venv bash .ci/test-min.sh     # start from a copy of an existing dev venv: only
#                                           # the pinned packages (and what they drag) change
#   bash .ci/test-min.sh tests/test_plot.py # extra arguments go to pytest
#
# Every `name>=X` of [project].dependencies in pyproject.toml becomes the constraint
# `name==X`; the dev and embeddings extras are installed under those constraints (pip picks
# versions of them that work with the floors). Pinned packages are taken as wheels only, so a
# floor without a wheel for this Python fails here instead of trying a source build.
# `make test-min` runs this script.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${MIN_VENV:-.venv-min}
TORCH=${TORCH:-torch==2.13.0}

if [ ! -x "$VENV/bin/python" ]; then
    if [ -n "${MIN_FROM:-}" ]; then
        cp -a "$MIN_FROM" "$VENV"
    else
        "$PYTHON" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet "$TORCH"  # the CPU build first, as make test
    fi
fi
PY="$VENV/bin/python"

"$PY" - > "$VENV/min-constraints.txt" <<'PYTHON'
import re

try:
    import tomllib
except ImportError:  # Python 3.10: the same parser as a package
    import tomli as tomllib

with open("pyproject.toml", "rb") as f:
    deps = tomllib.load(f)["project"]["dependencies"]
for dep in deps:
    m = re.match(r"\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*>=\s*([^,;\s]+)", dep)
    if m:
        print(f"{m.group(1)}=={m.group(2)}")
PYTHON
echo "== minimum versions (from pyproject.toml):"
cat "$VENV/min-constraints.txt"
binary=$(cut -d= -f1 "$VENV/min-constraints.txt" | paste -sd, -)
"$PY" -m pip install --quiet --only-binary "$binary" -c "$VENV/min-constraints.txt" \
    -e ".[dev,embeddings]"
"$PY" -m pip install --quiet --no-deps -e .
echo "== installed:"
"$PY" -m pip list --format=freeze 2>/dev/null \
    | grep -iE "^($(cut -d= -f1 "$VENV/min-constraints.txt" | paste -sd'|' -))==" || true
"$PY" -m pytest -q -p no:cacheprovider "$@"
