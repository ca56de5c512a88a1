#!/usr/bin/env bash
# Start the action server, the Rasa server (REST + socketio) and the chat page.
# Ctrl-C stops all of them. Settings come from the environment (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_PORT=${RASA_PORT:-5005} ACTION_PORT=${ACTION_PORT:-5055} WEB_PORT=${WEB_PORT:-8000}
export BOT_VAR_DIR=${BOT_VAR_DIR:-$PWD/var}
export TRACKER_DB=${TRACKER_DB:-$BOT_VAR_DIR/tracker.db}
export CORS_ORIGINS=${CORS_ORIGINS:-http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT}
export TF_CPP_MIN_LOG_LEVEL=2 PYTHONUNBUFFERED=1
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}  # bot.logmask for deploy/logging.yml
mkdir -p "$BOT_VAR_DIR/logs"
# the logs of the previous runs are kept (rasa.log.1 ...), never overwritten
scripts/rotate_logs.sh "$BOT_VAR_DIR/logs" rasa.log web.log actions.log
# personal data is masked in every log record (bot/logmask.py), as in production
logging_config=deploy/logging.yml
# Rasa listens on loopback unless told otherwise (RASA_HOST=0.0.0.0: every interface)
export RASA_HOST=${RASA_HOST:-127.0.0.1}
model=${MODEL:-$(scripts/train.sh "${RASA_CONFIG:-config.yml}")}
pids=()
cleanup() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT
# The custom actions run inside the Rasa process (bot/rasa/server.py); with
# BOT_ACTIONS=server they run in rasa-sdk's action server on $ACTION_PORT instead.
actions=${BOT_ACTIONS:-inprocess}
health="http://localhost:$RASA_PORT/"
if [ "$actions" = server ]; then
  SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --port "$ACTION_PORT" --actions actions \
    --logging-config-file "$logging_config" >>"$BOT_VAR_DIR/logs/actions.log" 2>&1 &
  pids+=($!)
  health="http://localhost:$ACTION_PORT/health"
  rasa=(.venv/bin/rasa run)
else
  rasa=(.venv/bin/python -m bot.rasa.server --actions actions)
fi
# shellcheck disable=SC2086
"${rasa[@]}" --model "$model" --interface "$RASA_HOST" --port "$RASA_PORT" --endpoints endpoints.yml \
  --credentials credentials.yml --logging-config-file "$logging_config" --cors $CORS_ORIGINS \
  >>"$BOT_VAR_DIR/logs/rasa.log" 2>&1 &
pids+=($!)
.venv/bin/python -m bot serve-web --port "$WEB_PORT" --rasa-url "http://localhost:$RASA_PORT" \
  >>"$BOT_VAR_DIR/logs/web.log" 2>&1 &
pids+=($!)
echo "starting: Rasa on :$RASA_PORT (actions: $actions), chat page on http://localhost:$WEB_PORT (logs in $BOT_VAR_DIR/logs)"
for _ in $(seq 1 180); do
  if curl -fs "http://localhost:$RASA_PORT/" >/dev/null 2>&1 && curl -fs "$health" >/dev/null 2>&1; then
    echo "ready: $(curl -fs "http://localhost:$RASA_PORT/")"
    break
  fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a server exited; see $BOT_VAR_DIR/logs" >&2; exit 1; }; done
  sleep 1
done
wait -n "${pids[@]}"
echo "a server stopped; see $BOT_VAR_DIR/logs" >&2
exit 1
