#!/usr/bin/env bash
# Builds (once per set of pins) the environment of the serving benchmark's load generator,
# locust, and prints its path on stdout (messages go to stderr).
#
# locust runs on gevent; in an environment of its own (requirements-bench.txt) its
# monkey-patching never reaches the interpreter that runs Rasa. Same conventions as
# setup-venv.sh: Python 3.10, pinned versions, kept in $SHOPASSIST_VENV_HOME under the pins'
# hash, built once and shared by every clone.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "setup-bench-load: $*" >&2; exit 1; }

# shellcheck source=scripts/python310.sh
. scripts/python310.sh
PY=$(find_python310) || die "Python 3.10 not found. Install it, e.g. 'pyenv install 3.10.13', or set PYTHON=/path/to/python3.10."
is_python310 "$PY" || die "$PY is not a working Python 3.10. Set PYTHON=/path/to/python3.10."

hash=$(sha256sum requirements-bench.txt | cut -c1-16)
home=${SHOPASSIST_VENV_HOME:-$HOME/.cache/shopassist}
venv="$home/bench-load-py310-$hash"
mkdir -p "$home"

# One builder at a time (two clones, or a benchmark and `make`, may ask at once).
exec 9>"$venv.lock"
flock 9

if [ ! -f "$venv/.complete" ]; then
  echo "setup-bench-load: building the load generator's environment in $venv (first time only)..." >&2
  rm -rf "$venv"
  "$PY" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pip==25.3 >&2
  "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
      -r requirements-bench.txt 2>&1 | grep -vE "^(WARNING: Location|Requirement already satisfied)" >&2 || true
  "$venv/bin/python" -m pip check >&2 || die "pip check failed in $venv"
  "$venv/bin/locust" --version >/dev/null 2>&1 || die "locust does not run in $venv"
  touch "$venv/.complete"
  echo "setup-bench-load: ready ($(du -sh "$venv" | cut -f1))." >&2
fi
echo "$venv"
