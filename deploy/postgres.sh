#!/usr/bin/env bash
# The project's own PostgreSQL server (Debian's postgresql package), data under
# $BOT_VAR_DIR/prod/postgres, listening on 127.0.0.1:$PG_PORT only.
#
#   deploy/postgres.sh start     init the cluster if needed, start it, create the
#                                role $PG_USER (password $PG_PASSWORD) and the
#                                databases $PG_DB (dossiers) and $PG_TRACKER_DB (Rasa)
#   deploy/postgres.sh stop | restart | status
#
# Run as root, the server runs as the `postgres` system user (PostgreSQL refuses
# root); otherwise as the current user. The superuser connects only through the
# Unix socket in $BOT_VAR_DIR/prod/postgres/run (mode 0700, peer = trust there);
# TCP connections need the password (scram-sha-256). Called by scripts/run_prod.sh,
# which sets the environment.
set -euo pipefail
: "${BOT_VAR_DIR:?}" "${PG_PORT:?}" "${PG_USER:?}" "${PG_DB:?}" "${PG_TRACKER_DB:?}"
PROD=$BOT_VAR_DIR/prod
BASE=$PROD/postgres
PGDATA=$BASE/data
PGSOCK=$BASE/run
PGLOG=$BOT_VAR_DIR/logs/postgres.log
SUPERUSER=postgres

bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
}
BIN=$(bindir)

OWNER=postgres
# shellcheck source=deploy/as_owner.sh
. "$(dirname "$0")/as_owner.sh"

prepare() {
  mkdir -p "$BASE" "$BOT_VAR_DIR/logs"
  touch "$PGLOG"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "no 'postgres' system user: install Debian's postgresql package" >&2; exit 1; }
    chown postgres:postgres "$BASE" "$PGLOG"
    if ! setpriv --reuid=postgres --regid=postgres --init-groups -- test -w "$BASE"; then
      echo "the postgres user cannot reach $BASE: give the folders above it o+x (e.g. chmod 711)" >&2
      exit 1
    fi
  fi
  chmod 700 "$BASE"
  as_owner mkdir -p "$PGSOCK"
  as_owner chmod 700 "$PGSOCK"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "postgres: initdb $PGDATA" >&2
    as_owner "$BIN/initdb" -D "$PGDATA" -U "$SUPERUSER" --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >>"$PGLOG" 2>&1 || { tail -20 "$PGLOG" >&2; exit 1; }
    echo "include_if_exists = 'cns.conf'" | as_owner tee -a "$PGDATA/postgresql.conf" >/dev/null
  fi
  # settings written at every start: ports and folders may change between runs
  as_owner tee "$PGDATA/cns.conf" >/dev/null <<EOF
# written by deploy/postgres.sh at each start
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGSOCK'
max_connections = 100
shared_buffers = 64MB
password_encryption = scram-sha-256
log_line_prefix = '%m [%p] %q%u@%d '
log_statement = 'none'
EOF
}

running() { as_owner "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

psql_admin() {
  "$BIN/psql" -X -q -h "$PGSOCK" -p "$PG_PORT" -U "$SUPERUSER" -d postgres -v ON_ERROR_STOP=1 "$@"
}

ensure_role_and_databases() {
  : "${PG_PASSWORD:?PG_PASSWORD must be set}"
  # the password travels in the environment (\getenv), never on a command line
  if [ "$(id -u)" = 0 ]; then
    (cd / && PG_PASSWORD=$PG_PASSWORD setpriv --reuid=postgres --regid=postgres --init-groups -- \
      "$BIN/psql" -X -q -h "$PGSOCK" -p "$PG_PORT" -U "$SUPERUSER" -d postgres -v ON_ERROR_STOP=1 \
      -v user="$PG_USER" -v db="$PG_DB" -v tdb="$PG_TRACKER_DB")
  else
    psql_admin -v user="$PG_USER" -v db="$PG_DB" -v tdb="$PG_TRACKER_DB"
  fi <<'SQL'
\getenv pw PG_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'tdb', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'tdb') \gexec
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE ALL ON DATABASE :"tdb" FROM PUBLIC;
SQL
}

start() {
  prepare
  if ! running; then
    as_owner "$BIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 start >/dev/null \
      || { tail -20 "$PGLOG" >&2; exit 1; }
  fi
  ensure_role_and_databases
}

stop() {
  [ -s "$PGDATA/PG_VERSION" ] || return 0
  if running; then as_owner "$BIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if [ -s "$PGDATA/PG_VERSION" ] && running; then echo running; else echo stopped; exit 3; fi ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
