#!/usr/bin/env bash
# Builds (once per set of pins) the environment of llama.cpp's OpenAI-compatible server and
# prints its path on stdout (messages go to stderr).
#
# The server's extras need pydantic 2, which Rasa 3.6 rules out, so it can't live in the
# project's environment. Same conventions as setup-venv.sh: Python 3.10, pinned versions
# (requirements-llm-server.txt), kept in $SHOPASSIST_VENV_HOME under the pins' hash, built
# once and shared by every clone. llama-cpp-python is the project's version: pip takes the
# wheel it compiled for the project's environment from its cache.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "setup-llm-server: $*" >&2; exit 1; }

# shellcheck source=scripts/python310.sh
. scripts/python310.sh
PY=$(find_python310) || die "Python 3.10 not found. Install it, e.g. 'pyenv install 3.10.13', or set PYTHON=/path/to/python3.10."
is_python310 "$PY" || die "$PY is not a working Python 3.10. Set PYTHON=/path/to/python3.10."

hash=$(sha256sum requirements-llm-server.txt | cut -c1-16)
home=${SHOPASSIST_VENV_HOME:-$HOME/.cache/shopassist}
venv="$home/llm-server-py310-$hash"
mkdir -p "$home"

# One builder at a time (two clones, or a test and `make`, may ask at once).
exec 9>"$venv.lock"
flock 9

if [ ! -f "$venv/.complete" ]; then
  echo "setup-llm-server: building llama.cpp's server environment in $venv (first time only)..." >&2
  rm -rf "$venv"
  "$PY" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pip==25.3 >&2
  "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
      -r requirements-llm-server.txt 2>&1 | grep -vE "^(WARNING: Location|Requirement already satisfied)" >&2 || true
  "$venv/bin/python" -m pip check >&2 || die "pip check failed in $venv"
  "$venv/bin/python" -c "import llama_cpp.server.app" >&2 || die "llama.cpp's server does not import in $venv"
  touch "$venv/.complete"
  echo "setup-llm-server: ready ($(du -sh "$venv" | cut -f1))." >&2
fi
echo "$venv"
