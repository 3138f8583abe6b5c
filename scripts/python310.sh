# Sourced by the setup scripts: finds a working Python 3.10 (Rasa 3.6 supports 3.8-3.10).

is_python310() {
  [ "$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "3.10" ]
}

# Candidates in order: $PYTHON, python3.10 on PATH, any 3.10 known to pyenv. A pyenv shim on
# PATH may exist without working, so each candidate is run, not just looked up.
find_python310() {
  local candidate
  if [ -n "${PYTHON:-}" ]; then
    echo "$PYTHON"; return
  fi
  if command -v python3.10 >/dev/null 2>&1 && is_python310 python3.10; then
    command -v python3.10; return
  fi
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -rV); do
      candidate=$(PYENV_VERSION="$candidate" pyenv which python 2>/dev/null) || continue
      if is_python310 "$candidate"; then echo "$candidate"; return; fi
    done
  fi
  return 1
}

# side_venv TAG NAME REQUIREMENTS WHAT CHECK: builds (once per set of pins) an environment of
# its own for a tool whose dependencies must stay out of the project's (llama.cpp's server,
# the load generator), and prints its path on stdout (messages go to stderr). Same conventions
# as setup-venv.sh: Python 3.10, pinned versions, kept in $SHOPASSIST_VENV_HOME under the
# pins' hash, built once and shared by every clone. CHECK runs in the new environment's
# folder (bin/python, bin/locust, ...) and must succeed before it is marked complete.
side_venv() {
  local tag=$1 name=$2 requirements=$3 what=$4 check=$5 py hash home venv
  py=$(find_python310) || { echo "$tag: Python 3.10 not found. Install it, e.g. 'pyenv install 3.10.13', or set PYTHON=/path/to/python3.10." >&2; return 1; }
  is_python310 "$py" || { echo "$tag: $py is not a working Python 3.10. Set PYTHON=/path/to/python3.10." >&2; return 1; }
  hash=$(sha256sum "$requirements" | cut -c1-16)
  home=${SHOPASSIST_VENV_HOME:-$HOME/.cache/shopassist}
  venv="$home/$name-py310-$hash"
  mkdir -p "$home"
  # One builder at a time (two clones, or a test and `make`, may ask at once).
  exec 9>"$venv.lock"
  flock 9
  if [ ! -f "$venv/.complete" ]; then
    echo "$tag: building $what in $venv (first time only)..." >&2
    rm -rf "$venv"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pip==25.3 >&2
    "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
        -r "$requirements" 2>&1 | grep -vE "^(WARNING: Location|Requirement already satisfied)" >&2 || true
    "$venv/bin/python" -m pip check >&2 || { echo "$tag: pip check failed in $venv" >&2; return 1; }
    (cd "$venv" && eval "$check") >&2 || { echo "$tag: $what fails its check in $venv" >&2; return 1; }
    touch "$venv/.complete"
    echo "$tag: ready ($(du -sh "$venv" | cut -f1))." >&2
  fi
  exec 9>&-
  echo "$venv"
}
