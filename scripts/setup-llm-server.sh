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

# shellcheck source=scripts/python310.sh
. scripts/python310.sh
side_venv setup-llm-server llm-server requirements-llm-server.txt \
  "llama.cpp's server environment" 'bin/python -c "import llama_cpp.server.app"'
