#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter (Rasa 3.6's ceiling).
set -euo pipefail
for cand in "${PYTHON310:-}" python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -n "$cand" ] || continue
  if "$cand" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    command -v "$cand" || echo "$cand"
    exit 0
  fi
done
echo "python3.10 not found: install it (e.g. apt-get install python3.10 or pyenv install 3.10) or set PYTHON310" >&2
exit 1
