# Sourced by deploy/postgres.sh and deploy/redis.sh (which set OWNER first).
# as_owner CMD...: run a server-side command as the system account that owns the
# server's data ($OWNER when run as root, the current user otherwise), with no
# secret of the project in its environment.
: "${OWNER:?OWNER must be set before sourcing deploy/as_owner.sh}"
as_owner() {
  local clean=(env -u PG_PASSWORD -u REDIS_PASSWORD -u BOT_DATABASE_URL -u TRACKER_DB_URL -u BOT_JWT_SECRET)
  if [ "$(id -u)" = 0 ]; then
    (cd / && "${clean[@]}" setpriv --reuid="$OWNER" --regid="$OWNER" --init-groups -- "$@")
  else
    (cd / && "${clean[@]}" "$@")
  fi
}
