#!/usr/bin/env bash
# Serves the embedded backend's model (the default GGUF, or SHOPASSIST_LLM_GGUF) over an
# OpenAI-compatible API with llama.cpp's server, from its own environment. Point the
# assistant at it:
#   SHOPASSIST_GENERATOR=openai SHOPASSIST_LLM_URL=http://127.0.0.1:8000/v1 \
#   SHOPASSIST_LLM_MODEL=<the name printed below> make run
#
#   SHOPASSIST_LLM_SERVER_HOST  address to listen on (default 127.0.0.1: it has no token)
#   SHOPASSIST_LLM_SERVER_PORT  port (default 8000)
#   SHOPASSIST_LLM_MODEL        the name it answers to (default: the GGUF file's name, which
#                               is what the embedded backend records as the author)
#   SHOPASSIST_LLM_THREADS      CPU threads (default 1, as the embedded backend)
set -euo pipefail
cd "$(dirname "$0")/.."
host=${SHOPASSIST_LLM_SERVER_HOST:-127.0.0.1}
port=${SHOPASSIST_LLM_SERVER_PORT:-8000}
threads=${SHOPASSIST_LLM_THREADS:-1}

venv=$(scripts/setup-llm-server.sh)
# The model file as the embedded backend finds it, so both serve the same model.
gguf=$(PYTHONPATH=. .venv/bin/python -c \
  'from shopassist.generation.embedded import model_file; print(model_file())')
name=${SHOPASSIST_LLM_MODEL:-$(basename "$gguf")}

if ! "$venv/bin/python" -c 'import socket, sys; socket.create_server((sys.argv[1], int(sys.argv[2])))' \
    "$host" "$port" 2>/dev/null; then
  echo "llm-server: $host:$port is in use; see what holds it with 'ss -ltnp sport = :$port'," \
       "or set SHOPASSIST_LLM_SERVER_PORT." >&2
  exit 1
fi

echo "llm-server: $gguf as '$name' on http://$host:$port/v1" >&2
# exec: the server is this process, so stopping it (Ctrl-C, a test's terminate) stops the server.
# The context and seed are the embedded backend's, so both answer alike.
exec "$venv/bin/python" -m llama_cpp.server --model "$gguf" --model_alias "$name" \
  --host "$host" --port "$port" --n_ctx 2048 --seed 0 \
  --n_threads "$threads" --n_threads_batch "$threads" --verbose False
