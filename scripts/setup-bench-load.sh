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

# shellcheck source=scripts/python310.sh
. scripts/python310.sh
side_venv setup-bench-load bench-load requirements-bench.txt \
  "the load generator's environment" 'bin/locust --version >/dev/null 2>&1'
