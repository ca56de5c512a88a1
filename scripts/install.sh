#!/usr/bin/env bash
# Create .venv and install the pinned dependencies; does nothing when the pins did not change.
set -euo pipefail
cd "$(dirname "$0")/.."
hash=$(cat requirements.txt constraints.txt | sha256sum | cut -c1-16)
stamp=.venv/.installed-$hash
if [ -f "$stamp" ]; then exit 0; fi
if [ ! -x .venv/bin/python ]; then
  py=$(scripts/python310.sh)
  echo "creating .venv with $py"
  "$py" -m venv .venv
fi
echo "installing pinned dependencies (a few minutes the first time)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==24.3.1
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
.venv/bin/python -m pip check
rm -f .venv/.installed-*
touch "$stamp"
