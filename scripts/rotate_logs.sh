#!/usr/bin/env bash
# Keep the logs of earlier runs: rotate_logs.sh DIR NAME... renames DIR/NAME to
# DIR/NAME.1, NAME.1 to NAME.2 ... keeping at most BOT_LOG_KEEP (default 5)
# earlier ones, so that a start never overwrites the evidence of a crash.
set -euo pipefail
dir=$1; shift
keep=${BOT_LOG_KEEP:-5}
case $keep in ''|*[!0-9]*) keep=5 ;; esac
for name in "$@"; do
  log=$dir/$name
  [ -e "$log" ] || continue
  if [ "$keep" -eq 0 ]; then rm -f "$log"; continue; fi
  rm -f "$log.$keep"
  for ((i = keep - 1; i >= 1; i--)); do
    [ -e "$log.$i" ] && mv -f "$log.$i" "$log.$((i + 1))"
  done
  mv -f "$log" "$log.1"
done
