#!/usr/bin/env bash
# The project's own Redis server (Debian's redis-server package): Rasa's lock
# store. Configuration generated under $BOT_VAR_DIR/prod/redis, loopback only,
# password from $REDIS_PASSWORD (kept in a 0600 file included by the config),
# no persistence (locks live for seconds).
#
#   deploy/redis.sh start | stop | restart | status
#
# Run as root, the server runs as the `redis` system user. Called by
# scripts/run_prod.sh, which sets the environment.
set -euo pipefail
: "${BOT_VAR_DIR:?}" "${REDIS_PORT:?}"
PROD=$BOT_VAR_DIR/prod
BASE=$PROD/redis
CONF=$BASE/redis.conf
AUTH=$BASE/auth.conf
PIDFILE=$BASE/redis.pid
LOG=$BOT_VAR_DIR/logs/redis.log

command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install redis-server)" >&2; exit 1; }

OWNER=redis
# shellcheck source=deploy/as_owner.sh
. "$(dirname "$0")/as_owner.sh"

cli() { REDISCLI_AUTH=${REDIS_PASSWORD:-} redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

running() {
  [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && cli ping 2>/dev/null | grep -q PONG
}

start() {
  : "${REDIS_PASSWORD:?REDIS_PASSWORD must be set}"
  mkdir -p "$BASE" "$BOT_VAR_DIR/logs"
  touch "$LOG"
  [ "$(id -u)" = 0 ] && chown redis:redis "$BASE" "$LOG"
  chmod 700 "$BASE"
  if running; then return 0; fi
  umask 077
  printf 'requirepass %s\n' "$REDIS_PASSWORD" | as_owner tee "$AUTH" >/dev/null
  as_owner tee "$CONF" >/dev/null <<EOF
# written by deploy/redis.sh at each start
bind 127.0.0.1
protected-mode yes
port $REDIS_PORT
daemonize no
pidfile $PIDFILE
dir $BASE
logfile ""
loglevel notice
save ""
appendonly no
maxmemory 64mb
maxmemory-policy noeviction
rename-command FLUSHALL ""
rename-command FLUSHDB ""
rename-command CONFIG ""
include $AUTH
EOF
  rm -f "$PIDFILE"
  # background, own session; the pid file written by redis itself is what stop uses
  as_owner setsid redis-server "$CONF" >>"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 50); do
    running && return 0
    sleep 0.2
  done
  echo "redis did not start; see $LOG" >&2
  tail -5 "$LOG" >&2
  exit 1
}

stop() {
  [ -s "$PIDFILE" ] || return 0
  local pid
  pid=$(cat "$PIDFILE")
  # only our server: the process must be redis-server with our config
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "redis-server"; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if running; then echo running; else echo stopped; exit 3; fi ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
