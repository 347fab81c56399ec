#!/usr/bin/env bash
# Makes integrations/spark/.venv ready to run Spark in local mode: Java from Debian
# (openjdk-17-jre-headless) when no java is on PATH, python3-venv when venvs cannot be made, and
# PySpark and pytest from PyPI (requirements.txt). Idempotent: installs only what is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

die() { echo "spark setup: $*" >&2; exit 1; }
apt_install() {
    echo "spark setup: installing Debian packages: $*"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null \
        || die "apt-get install $* failed"
}

command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[ "${java_major:-0}" -ge 17 ] || die "PySpark 4 needs Java 17 or later; java on PATH is ${java_major:-unknown}"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" 2>/dev/null || { rm -rf "$VENV"; apt_install python3-venv; python3 -m venv "$VENV"; }
fi
if ! "$VENV/bin/python" - "$HERE/requirements.txt" >/dev/null 2>&1 <<'PY'
import sys, importlib.metadata as md
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if line:
        name, version = line.split("==")
        assert md.version(name) == version, name
PY
then
    echo "spark setup: installing PySpark into $VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt" || die "pip install failed"
fi
