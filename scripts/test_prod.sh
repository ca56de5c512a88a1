#!/usr/bin/env bash
# Production tests: start the real servers with scripts/run_prod.sh on test ports
# (56xx/57xx) in a temporary BOT_VAR_DIR, run `PROD_TESTS=1 pytest tests/prod`,
# stop everything and remove the folder. Safe to run again after an interrupted
# run (it stops what that run left). Non-zero on any failure.
#   KEEP_PROD_TEST=1 keeps the folder (logs, databases) for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export PROD_HTTP_PORT=${TEST_PROD_HTTP_PORT:-5700} RASA_PORTS=${TEST_RASA_PORTS:-"5701 5702"}
export ACTION_PORT=${TEST_PROD_ACTION_PORT:-5703} WEB_PORT=${TEST_PROD_WEB_PORT:-5704}
export PG_PORT=${TEST_PG_PORT:-5705} REDIS_PORT=${TEST_REDIS_PORT:-5706}
# a rate limit the tests can hit on purpose without hitting it by accident
export PROD_RATE=${TEST_PROD_RATE:-40} PROD_BURST=${TEST_PROD_BURST:-60}
# the most verbose logs, to check that personal data is masked even there
export LOG_LEVEL=${TEST_PROD_LOG_LEVEL:-DEBUG}
export TF_CPP_MIN_LOG_LEVEL=2 PYTHONUNBUFFERED=1
# a hotline agent for the console's tests through nginx (a cheap hash: only the route is tested here)
export PROD_HOTLINE_AGENT=prodtest PROD_HOTLINE_PASSWORD="prod-test-$RANDOM-$RANDOM"
HOTLINE_AGENTS="$PROD_HOTLINE_AGENT:$(printf '%s\n' "$PROD_HOTLINE_PASSWORD" \
  | .venv/bin/python -m bot hotline-hash-password --iterations 1000)"
export HOTLINE_AGENTS
unset HOTLINE_COOKIE_SECURE WEB_TRUSTED_PROXIES UPLOADS_MAX_TOTAL_MB UPLOAD_SECRET || true
unset BOT_DATABASE_URL TRACKER_DB_URL PUBLIC_URL WEB_PUBLIC_URL CORS_ORIGINS PG_PASSWORD REDIS_PASSWORD || true

# the folder of the last run on these ports, to clean up after an interrupted one (per port: runs
# of other checkouts on other ports are left alone)
state=/tmp/cns-prod-test.$(id -u).$PROD_HTTP_PORT.last
stop_dir() {
  [ -n "${1:-}" ] && [ -d "$1/prod" ] || return 0
  BOT_VAR_DIR=$1 timeout 120 scripts/run_prod.sh stop >/dev/null 2>&1 || true
}
if [ -s "$state" ]; then
  old=$(cat "$state")
  case $old in /tmp/cns-prod-test.*) stop_dir "$old"; rm -rf "$old" ;; esac
  rm -f "$state"
fi

BOT_VAR_DIR=$(mktemp -d /tmp/cns-prod-test.XXXXXX)
export BOT_VAR_DIR
chmod 711 "$BOT_VAR_DIR"
echo "$BOT_VAR_DIR" >"$state"
cleanup() {
  trap - EXIT INT TERM
  stop_dir "$BOT_VAR_DIR"
  if [ "${KEEP_PROD_TEST:-0}" = 1 ]; then echo "kept: $BOT_VAR_DIR"; else rm -rf "$BOT_VAR_DIR"; rm -f "$state"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export MODEL=${MODEL:-$(scripts/train.sh config.yml)}
echo "=== production servers (scripts/run_prod.sh start, $BOT_VAR_DIR)"
started=$(date +%s)
if ! timeout --foreground 420 scripts/run_prod.sh start; then
  echo "the production servers did not start:"
  tail -n 20 "$BOT_VAR_DIR"/logs/*.log 2>/dev/null || true
  exit 1
fi
echo "started in $(($(date +%s) - started)) s"
eval "$(scripts/run_prod.sh env)"

echo "=== PROD_TESTS=1 pytest tests/prod"
status=0
PROD_TESTS=1 timeout --foreground 480 .venv/bin/python -m pytest -q -p no:cacheprovider tests/prod || status=$?
if [ $status -ne 0 ]; then
  echo "--- last log lines"
  for f in "$BOT_VAR_DIR"/logs/*.log; do echo "## $f"; tail -n 15 "$f"; done
fi
echo "test_prod: $([ $status -eq 0 ] && echo passed || echo FAILED) in $(($(date +%s) - started)) s"
exit $status
