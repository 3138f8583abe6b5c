#!/usr/bin/env bash
# Starts the action server and then the Rasa server (`server`) or `rasa shell` (`shell`).
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-server}
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=5055  # endpoints.yml names this port

port_free() {
  .venv/bin/python - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("0.0.0.0", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}
for port in "$ACTIONS_PORT" "$RASA_PORT"; do  # rasa shell serves on RASA_PORT too
  if ! port_free "$port"; then
    echo "run: port $port is in use (another ShopAssist or Rasa?). See what holds it with" \
         "'ss -ltnp sport = :$port', stop it, and run again$([ "$port" = "$RASA_PORT" ] && echo " (or set RASA_PORT)")." >&2
    exit 1
  fi
done

model=$(scripts/current-model.sh)
mkdir -p logs

cleanup() {
  trap - EXIT INT TERM
  [ -n "${actions_pid:-}" ] && kill "$actions_pid" 2>/dev/null && wait "$actions_pid" 2>/dev/null
  echo "run: stopped."
}
trap cleanup EXIT INT TERM

echo "run: starting the action server on port $ACTIONS_PORT (log: logs/action-server.log)"
.venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT" > logs/action-server.log 2>&1 &
actions_pid=$!
for _ in $(seq 1 120); do
  if curl -sf "http://localhost:$ACTIONS_PORT/health" >/dev/null; then break; fi
  if ! kill -0 "$actions_pid" 2>/dev/null; then
    echo "run: the action server failed to start; the end of logs/action-server.log:" >&2
    tail -n 20 logs/action-server.log >&2
    exit 1
  fi
  sleep 0.5
done

if [ "$mode" = shell ]; then
  echo "run: starting rasa shell with $model (type /stop to leave)"
  .venv/bin/rasa shell --model "$model" --port "$RASA_PORT" --endpoints endpoints.yml
else
  echo "run: starting the Rasa server on port $RASA_PORT with $model (REST and socket.io; Ctrl-C stops)"
  echo "run: it answers once it logs 'Rasa server is up and running' (about a minute)."
  .venv/bin/rasa run --model "$model" --port "$RASA_PORT" --enable-api --cors "*" \
      --credentials credentials.yml --endpoints endpoints.yml
fi
