#!/usr/bin/env bash
# Create perf/.venv with the reference implementation (msticpy 3.0.2) that the golden files and
# the side-by-side runs compare against, pycairo for the ratio chart, and the reading peers DuckDB
# and polars (perf/compare's reading section). Idempotent: installs only what does not import yet.
#
#   perf/setup-venv.sh            # from anywhere
#   PYTHON=python3.11 perf/setup-venv.sh
set -euo pipefail

MSTICPY_VERSION="3.0.2"
PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$PERF_DIR/.venv"
PYTHON="${PYTHON:-python3}"

die() { echo "setup-venv: $*" >&2; exit 1; }

# True when msticpy's anomalous_sequence imports in the venv and has the pinned version.
msticpy_ok() {
    "$VENV/bin/python" - "$MSTICPY_VERSION" >/dev/null 2>&1 <<'EOF'
import sys
import importlib.metadata as md
import msticpy.analysis.anomalous_sequence.model  # noqa: F401
sys.exit(0 if md.version("msticpy") == sys.argv[1] else 1)
EOF
}

if [ ! -x "$VENV/bin/python" ]; then
    command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found (set PYTHON=...)"
    "$PYTHON" -m venv "$VENV" || die "'$PYTHON -m venv $VENV' failed (is python3-venv installed?)"
fi

if ! msticpy_ok; then
    echo "setup-venv: installing msticpy==$MSTICPY_VERSION into $VENV (takes a few minutes)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "msticpy==$MSTICPY_VERSION" || die "pip install msticpy==$MSTICPY_VERSION failed"
    msticpy_ok || die "msticpy $MSTICPY_VERSION still does not import in $VENV after install"
fi

# pycairo draws perf/ratios.png (perf/compare).
if ! "$VENV/bin/python" -c "import cairo" >/dev/null 2>&1; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check pycairo \
        || die "pip install pycairo failed (it needs libcairo2-dev and pkg-config: make deps)"
fi

# DuckDB and polars: the reading peers that perf/compare measures next to SeqHunt's read stage.
# Neither needs pyarrow for what perf/compare does (read_csv, read_json, read_ndjson, count).
for module in duckdb polars; do
    if ! "$VENV/bin/python" -c "import $module" >/dev/null 2>&1; then
        echo "setup-venv: installing $module into $VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$module" \
            || die "pip install $module failed"
        "$VENV/bin/python" -c "import $module" >/dev/null 2>&1 || die "$module still does not import in $VENV after install"
    fi
done
