#!/usr/bin/env bash
# Starts the action server, the web app (shop page + console, `server` only) and then the
# Rasa server (`server`) or `rasa shell` (`shell`). Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-server}
# Ports, commands and health URLs as shopassist/topology.py declares them
# (tests/unit/test_topology.py compares them).
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=5055  # endpoints.yml names this port
CONSOLE_PORT=${SHOPASSIST_CONSOLE_PORT:-5002}

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
ports=("$ACTIONS_PORT" "$RASA_PORT")
[ "$mode" = server ] && ports+=("$CONSOLE_PORT")
for port in "${ports[@]}"; do  # rasa shell serves on RASA_PORT too
  if ! port_free "$port"; then
    echo "run: port $port is in use (another ShopAssist or Rasa?). See what holds it with" \
         "'ss -ltnp sport = :$port', stop it, and run again$([ "$port" = "$RASA_PORT" ] && echo " (or set RASA_PORT)")." >&2
    exit 1
  fi
done

model=$(scripts/current-model.sh)
mkdir -p logs var

# Secrets of this run, unless given: the demo page's customer tokens, Rasa's HTTP API
# (which the console uses for takeover) and the action server's (Rasa sends it, as
# endpoints.yml says). New each run, so no secret is ever known.
new_secret() { .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))'; }
export SHOPASSIST_TOKEN_SECRET=${SHOPASSIST_TOKEN_SECRET:-$(new_secret)}
export SHOPASSIST_RASA_TOKEN=${SHOPASSIST_RASA_TOKEN:-$(new_secret)}
export SHOPASSIST_SESSION_SECRET=${SHOPASSIST_SESSION_SECRET:-$(new_secret)}  # chat sessions
export SHOPASSIST_ACTION_TOKEN=${SHOPASSIST_ACTION_TOKEN:-$(new_secret)}
export SHOPASSIST_RASA_URL=${SHOPASSIST_RASA_URL:-http://localhost:$RASA_PORT}
export SHOPASSIST_SOCKET_URL=${SHOPASSIST_SOCKET_URL:-http://localhost:$RASA_PORT}
export SHOPASSIST_DEMO_LOGIN=${SHOPASSIST_DEMO_LOGIN:-1}

cleanup() {
  trap - EXIT INT TERM
  for pid in ${console_pid:-} ${actions_pid:-}; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  echo "run: stopped."
}
trap cleanup EXIT INT TERM

echo "run: starting the action server on port $ACTIONS_PORT (log: logs/action-server.log)"
# ShopAssist's action server: rasa-sdk's, listening on 127.0.0.1 only, logs redacted.
.venv/bin/python -m shopassist.action_server --port "$ACTIONS_PORT" > logs/action-server.log 2>&1 &
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

if [ "$mode" = server ]; then
  .venv/bin/python -m shopassist.console.accounts first-user var/console-admin-password
  echo "run: starting the shop page and console on http://localhost:$CONSOLE_PORT (log: logs/console.log)"
  .venv/bin/python -m shopassist.console --port "$CONSOLE_PORT" > logs/console.log 2>&1 &
  console_pid=$!
fi

if [ "$mode" = shell ]; then
  echo "run: starting rasa shell with $model (type /stop to leave)"
  .venv/bin/rasa shell --model "$model" --port "$RASA_PORT" --endpoints endpoints.yml
else
  echo "run: starting the Rasa server on port $RASA_PORT with $model (REST and socket.io; Ctrl-C stops)"
  echo "run: it answers once it logs 'Rasa server is up and running' (about a minute)."
  echo "run: shop page with the chat: http://localhost:$CONSOLE_PORT/ · console: http://localhost:$CONSOLE_PORT/console"
  # rasa run, with the API token from the environment (never on a command line) and CORS
  # for the shop page's origins only (SHOPASSIST_ALLOWED_ORIGINS): shopassist/serve.py.
  .venv/bin/python -m shopassist.serve run --model "$model" --port "$RASA_PORT" --enable-api \
      --credentials credentials.yml --endpoints endpoints.yml \
      --logging-config-file deploy/logging.yml
fi
