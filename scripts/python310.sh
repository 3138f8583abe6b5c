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
