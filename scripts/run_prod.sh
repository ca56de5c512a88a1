#!/usr/bin/env bash
# Production profile: PostgreSQL (tracker store + dossiers), Redis (lock store),
# several Rasa instances, the action server and the chat page, behind nginx.
# Every server is the project's own (Debian packages, data under
# $BOT_VAR_DIR/prod, loopback only); configuration from the environment only.
# See docs/production.md.
#
#   scripts/run_prod.sh              start everything, supervise (restart what dies), Ctrl-C stops all
#   scripts/run_prod.sh start        start everything in the background and return once ready
#   scripts/run_prod.sh stop         stop everything
#   scripts/run_prod.sh status       one line per service
#   scripts/run_prod.sh env          export lines for a shell (BOT_DATABASE_URL, TRACKER_DB_URL, ...)
#   scripts/run_prod.sh start|stop|restart SERVICE
#        SERVICE: postgres redis actions rasa1 rasa2 ... web nginx ("stop SERVICE" also pauses
#        the supervisor's restarts of it until "start SERVICE")
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# ------------------------------------------------------------------ settings (environment)
export BOT_VAR_DIR=${BOT_VAR_DIR:-$ROOT/var}
export PROD_HTTP_PORT=${PROD_HTTP_PORT:-8080} PROD_LISTEN=${PROD_LISTEN:-127.0.0.1}
export RASA_PORTS=${RASA_PORTS:-"5005 5006"} ACTION_PORT=${ACTION_PORT:-5055} WEB_PORT=${WEB_PORT:-8000}
export PG_HOST=127.0.0.1 PG_PORT=${PG_PORT:-5433} PG_USER=${PG_USER:-cnsbot}
export PG_DB=${PG_DB:-cnsbot} PG_TRACKER_DB=${PG_TRACKER_DB:-cnsbot_tracker}
export REDIS_HOST=127.0.0.1 REDIS_PORT=${REDIS_PORT:-6380} REDIS_DB=${REDIS_DB:-0}
export PUBLIC_URL=${PUBLIC_URL:-http://127.0.0.1:$PROD_HTTP_PORT}
export WEB_PUBLIC_URL=${WEB_PUBLIC_URL:-$PUBLIC_URL}
export CORS_ORIGINS=${CORS_ORIGINS:-$PUBLIC_URL}
PROD_RATE=${PROD_RATE:-5} PROD_BURST=${PROD_BURST:-20} PROD_MAX_BODY=${PROD_MAX_BODY:-16k}
# uploads: 20 MB per conversation (bot/data/regimes.yml) plus multipart framing; console forms: 100 kB
PROD_UPLOAD_MAX_BODY=${PROD_UPLOAD_MAX_BODY:-21m} PROD_FORM_MAX_BODY=${PROD_FORM_MAX_BODY:-100k}
# the console's cookies only over HTTPS; the page server believes X-Forwarded-For from nginx only
export HOTLINE_COOKIE_SECURE=${HOTLINE_COOKIE_SECURE:-1} WEB_TRUSTED_PROXIES=${WEB_TRUSTED_PROXIES:-127.0.0.1}
PROD_AUTORESTART=${PROD_AUTORESTART:-1}
PROD=$BOT_VAR_DIR/prod RUN=$BOT_VAR_DIR/prod/run LOGS=$BOT_VAR_DIR/logs SECRETS=$BOT_VAR_DIR/prod/secrets
read -r -a rasa_ports <<<"$RASA_PORTS"
rasa_names=(); for i in "${!rasa_ports[@]}"; do rasa_names+=("rasa$((i + 1))"); done
SERVICES=(postgres redis actions "${rasa_names[@]}" web nginx)

export TF_CPP_MIN_LOG_LEVEL=2 PYTHONUNBUFFERED=1 SANIC_WORKERS=1 ACTION_SERVER_SANIC_WORKERS=1
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

say() { echo "run_prod: $*" >&2; }
die() { say "$*"; exit 1; }

# ------------------------------------------------------------------ packages (Debian)
ensure_packages() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (as root: apt-get update && apt-get install ${missing[*]})"
  say "installing ${missing[*]} (apt-get)"
  apt-get update -qq >/dev/null || die "apt-get update failed"
  # RUNLEVEL=1: the packages' own system services are not started by the installation
  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null || die "apt-get install ${missing[*]} failed"
}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# ------------------------------------------------------------------ secrets (environment, or generated once)
secret() {  # secret NAME FILE: $NAME from the environment, else the file, else a new random value kept there
  local name=$1 file=$SECRETS/$2
  if [ -n "${!name:-}" ]; then return 0; fi
  mkdir -p "$SECRETS"; chmod 700 "$SECRETS"
  if [ ! -s "$file" ]; then (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file"); fi
  printf -v "$name" '%s' "$(cat "$file")"
  export "${name?}"
}

setup_env() {
  mkdir -p "$PROD" "$RUN" "$LOGS"
  logging_config
  if [ "$(id -u)" = 0 ]; then chmod 711 "$BOT_VAR_DIR" "$PROD"; fi  # postgres/redis/nginx workers traverse
  secret PG_PASSWORD pg_password
  secret REDIS_PASSWORD redis_password
  secret UPLOAD_SECRET upload_secret
  export BOT_DATABASE_URL=${BOT_DATABASE_URL:-postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB}
  export TRACKER_DB_URL=${TRACKER_DB_URL:-postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_TRACKER_DB}
  export ACTION_HEALTH_URL=http://127.0.0.1:$ACTION_PORT/health
}

model_path() {
  if [ -n "${MODEL:-}" ]; then echo "$MODEL"; else scripts/train.sh "${RASA_CONFIG:-config.yml}"; fi
}

# ------------------------------------------------------------------ processes started here (pid files)
pidfile() { echo "$RUN/$1.pid"; }
# alive NAME: the recorded process exists and is the one we started (its command line holds its marker)
alive() {
  local f pid marker
  f=$(pidfile "$1"); [ -s "$f" ] || return 1
  read -r pid marker <"$f"
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

# start_bg NAME MARKER CMD...: own session (setsid), output to $LOGS/NAME.log
start_bg() {
  local name=$1 marker=$2; shift 2
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  echo "$! $marker" >"$(pidfile "$name")"
}

stop_bg() {
  local name=$1 f pid marker
  f=$(pidfile "$name")
  [ -s "$f" ] || return 0
  if alive "$name"; then
    read -r pid marker <"$f"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$f"
}

wait_http() {  # wait_http NAME URL SECONDS
  local name=$1 url=$2 limit=$3
  for _ in $(seq 1 $((limit * 2))); do
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    case $name in postgres|redis|nginx) ;; *) alive "$name" || { tail -30 "$LOGS/$name.log" >&2; die "$name exited"; } ;; esac
    sleep 0.5
  done
  tail -30 "$LOGS/$name.log" >&2
  die "$name not ready after ${limit}s ($url)"
}

rasa_port() { local n=${1#rasa}; echo "${rasa_ports[$((n - 1))]}"; }

render_nginx() {
  local prefix=$PROD/nginx servers="" user_line="" p
  mkdir -p "$prefix/tmp" "$prefix/logs"
  for p in "${rasa_ports[@]}"; do servers+="        server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'; done
  if [ "$(id -u)" = 0 ]; then user_line="user nobody nogroup;"; chmod 711 "$prefix"; fi
  USER_LINE=$user_line PREFIX=$prefix LOGS=$LOGS MAX_BODY=$PROD_MAX_BODY RATE=$PROD_RATE BURST=$PROD_BURST \
  UPLOAD_MAX_BODY=$PROD_UPLOAD_MAX_BODY FORM_MAX_BODY=$PROD_FORM_MAX_BODY \
  RASA_SERVERS=${servers%$'\n'} LISTEN=$PROD_LISTEN HTTP_PORT=$PROD_HTTP_PORT \
    .venv/bin/python - "$prefix/nginx.conf" <<'EOF'
import os, re, sys
text = open("deploy/nginx.conf.template", encoding="utf-8").read()
for key in ("USER_LINE", "PREFIX", "LOGS", "MAX_BODY", "RATE", "BURST", "RASA_SERVERS", "WEB_PORT", "LISTEN",
            "HTTP_PORT", "UPLOAD_MAX_BODY", "FORM_MAX_BODY"):
    text = text.replace("@" + key + "@", os.environ[key])
assert not re.search(r"@[A-Z_]+@", text), "unfilled placeholder"
open(sys.argv[1], "w", encoding="utf-8").write(text)
EOF
  "$NGINX" -t -q -p "$prefix" -c "$prefix/nginx.conf" -e "$LOGS/nginx-error.log" || die "nginx configuration rejected"
}

nginx_pid() { cat "$PROD/nginx/nginx.pid" 2>/dev/null || true; }
nginx_alive() {
  local pid; pid=$(nginx_pid)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$PROD/nginx"
}

# ------------------------------------------------------------------ one service
start_one() {  # the servers must not inherit the lock (fd 9)
  _start_one "$@" 9>&-
}
_start_one() {
  local name=$1 port verbosity=()
  [ "${LOG_LEVEL:-INFO}" = DEBUG ] && verbosity=(-vv)
  rm -f "$RUN/$name.held"
  case $name in
    postgres) deploy/postgres.sh start ;;
    redis) deploy/redis.sh start ;;
    actions)
      alive actions && return 0
      # PDFs and e-mails a stopped action server left undone (bot/dossier/jobs.py)
      .venv/bin/python -m bot dossiers produce-pending >>"$LOGS/actions.log" 2>&1 || true
      SANIC_HOST=127.0.0.1 start_bg actions "--port $ACTION_PORT" .venv/bin/rasa run actions --port "$ACTION_PORT" \
        --actions actions --logging-config-file "$PROD/logging.yml" "${verbosity[@]}"
      ;;
    rasa*)
      alive "$name" && return 0
      port=$(rasa_port "$name"); [ -n "$port" ] || die "unknown service $name"
      local api=()
      if [ "${RASA_ENABLE_API:-0}" = 1 ]; then
        [ -n "${RASA_AUTH_TOKEN:-}" ] || die "RASA_ENABLE_API=1 needs RASA_AUTH_TOKEN"
        api=(--enable-api --auth-token "$RASA_AUTH_TOKEN")
      fi
      # shellcheck disable=SC2086
      start_bg "$name" "--port $port" .venv/bin/rasa run --model "$MODEL" --interface 127.0.0.1 --port "$port" \
        --endpoints endpoints.prod.yml --credentials deploy/credentials.prod.yml \
        --logging-config-file "$PROD/logging.yml" --cors $CORS_ORIGINS "${api[@]}" "${verbosity[@]}"
      ;;
    web)
      alive web && return 0
      WEB_HOST=127.0.0.1 start_bg web "--port $WEB_PORT" .venv/bin/python -m bot serve-web --port "$WEB_PORT" \
        --rasa-url "$PUBLIC_URL"
      ;;
    nginx)
      render_nginx
      if nginx_alive; then "$NGINX" -p "$PROD/nginx" -c "$PROD/nginx/nginx.conf" -e "$LOGS/nginx-error.log" -s reload
      else "$NGINX" -p "$PROD/nginx" -c "$PROD/nginx/nginx.conf" -e "$LOGS/nginx-error.log"; fi
      ;;
    *) die "unknown service $name (${SERVICES[*]})" ;;
  esac
}

wait_one() {
  local name=$1
  case $name in
    actions) wait_http actions "http://127.0.0.1:$ACTION_PORT/health" 120 ;;
    rasa*) wait_http "$name" "http://127.0.0.1:$(rasa_port "$name")/" 240 ;;
    web) wait_http web "http://127.0.0.1:$WEB_PORT/" 30 ;;
    nginx) wait_http nginx "http://127.0.0.1:$PROD_HTTP_PORT/healthz" 30 ;;
    *) ;;
  esac
}

stop_one() {
  local name=$1 pid
  case $name in
    postgres) deploy/postgres.sh stop ;;
    redis) deploy/redis.sh stop ;;
    nginx)
      if nginx_alive; then
        pid=$(nginx_pid)
        kill -QUIT "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; fi
      fi
      ;;
    *) stop_bg "$name" ;;
  esac
}

status_one() {
  case $1 in
    postgres) deploy/postgres.sh status >/dev/null 2>&1 ;;
    redis) deploy/redis.sh status >/dev/null 2>&1 ;;
    nginx) nginx_alive ;;
    *) alive "$1" ;;
  esac
}

# ------------------------------------------------------------------ everything
logging_config() {  # deploy/logging.yml at the level LOG_LEVEL (default INFO)
  sed "s/^  level: INFO$/  level: ${LOG_LEVEL:-INFO}/" deploy/logging.yml >"$PROD/logging.yml"
}

start_all() {
  ensure_packages
  setup_env
  export MODEL; MODEL=$(model_path)
  echo "$MODEL" >"$RUN/model"
  start_one postgres
  start_one redis
  start_one actions
  local name
  for name in "${rasa_names[@]}"; do start_one "$name"; done
  start_one web
  wait_one actions
  for name in "${rasa_names[@]}"; do wait_one "$name"; done
  wait_one web
  start_one nginx
  wait_one nginx
  echo "ready: $PUBLIC_URL (Rasa on ${RASA_PORTS// /, }, actions on $ACTION_PORT, PostgreSQL on $PG_PORT, Redis on $REDIS_PORT; logs in $LOGS)"
}

stop_all() {  # nginx first, the Python servers together, then Redis and PostgreSQL
  local name
  stop_one nginx || true
  for name in web "${rasa_names[@]}" actions; do stop_one "$name" & done
  wait || true
  stop_one redis || true
  stop_one postgres || true
}

supervise() {
  trap 'trap - INT TERM EXIT; say "stopping"; stop_all; exit 0' INT TERM
  trap 'stop_all' EXIT
  local name
  while true; do
    sleep 3
    [ "$PROD_AUTORESTART" = 1 ] || continue
    for name in "${SERVICES[@]}"; do
      [ -e "$RUN/$name.held" ] && continue
      if ! status_one "$name"; then
        say "$name is down: restarting it"
        (start_one "$name" && wait_one "$name") || say "$name did not restart (see $LOGS)"
      fi
    done
  done
}

locked() {  # one start/stop at a time for this BOT_VAR_DIR; locked SECONDS [soft]
  mkdir -p "$PROD"
  exec 9>"$PROD/.lock"
  flock -w "${1:-600}" 9 && return 0
  [ "${2:-}" = soft ] && { say "$PROD/.lock still held: going on"; return 0; }
  die "another run_prod.sh holds $PROD/.lock"
}

cmd=${1:-run}
if [ $# -ge 2 ]; then
  case " ${SERVICES[*]} " in *" $2 "*) ;; *) die "unknown service $2 (${SERVICES[*]})" ;; esac
fi
case $cmd in
  run)
    locked; trap 'stop_all' EXIT; start_all; flock -u 9; supervise ;;
  start)
    locked
    if [ $# -ge 2 ]; then
      setup_env; export MODEL; MODEL=$(cat "$RUN/model" 2>/dev/null || model_path)
      start_one "$2"; wait_one "$2"
    else
      trap 'stop_all' EXIT; start_all; trap - EXIT  # a failed start leaves nothing running
    fi
    ;;
  stop)
    locked 60 soft
    if [ $# -ge 2 ]; then stop_one "$2"; touch "$RUN/$2.held"; else stop_all; fi ;;
  restart)
    [ $# -ge 2 ] || die "usage: $0 restart SERVICE"
    locked; setup_env; export MODEL; MODEL=$(cat "$RUN/model" 2>/dev/null || model_path)
    stop_one "$2"; start_one "$2"; wait_one "$2" ;;
  status)
    setup_env
    for name in "${SERVICES[@]}"; do
      if status_one "$name"; then echo "$name running"; else echo "$name stopped"; fi
    done ;;
  env)
    setup_env >/dev/null
    for v in BOT_VAR_DIR BOT_DATABASE_URL TRACKER_DB_URL PUBLIC_URL PROD_HTTP_PORT RASA_PORTS ACTION_PORT \
        PG_HOST PG_PORT PG_USER PG_DB PG_TRACKER_DB REDIS_HOST REDIS_PORT REDIS_PASSWORD; do
      printf 'export %s=%q\n' "$v" "${!v}"
    done ;;
  *) die "usage: $0 [run|start|stop|status|env|start SERVICE|stop SERVICE|restart SERVICE]" ;;
esac
