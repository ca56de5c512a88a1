#!/usr/bin/env bash
# Create .venv and install the pinned dependencies; does nothing when the pins did not change.
#   scripts/install.sh            runtime and test packages (make run, make test):
#                                 requirements.txt + requirements-test.txt, -c constraints.txt
#   scripts/install.sh --runtime  runtime packages only (production: make run-prod)
# Stamps: .venv/.installed-<hash of both files and the constraints> after a full installation,
# .venv/.installed-runtime-<hash of requirements.txt and the constraints> after either kind.
set -euo pipefail
cd "$(dirname "$0")/.."
runtime=$(cat requirements.txt constraints.txt | sha256sum | cut -c1-16)
full=$(cat requirements.txt requirements-test.txt constraints.txt | sha256sum | cut -c1-16)
if [ "${1:-}" = --runtime ]; then
  files=(requirements.txt) stamps=(".venv/.installed-runtime-$runtime")
else
  files=(requirements.txt requirements-test.txt) stamps=(".venv/.installed-$full" ".venv/.installed-runtime-$runtime")
fi
if [ -f "${stamps[0]}" ]; then exit 0; fi
if [ ! -x .venv/bin/python ]; then
  py=$(scripts/python310.sh)
  echo "creating .venv with $py"
  "$py" -m venv .venv
fi
echo "installing pinned dependencies (${files[*]}; a few minutes the first time)"
reqs=(); for f in "${files[@]}"; do reqs+=(-r "$f"); done
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==24.3.1
.venv/bin/python -m pip install --quiet --disable-pip-version-check "${reqs[@]}" -c constraints.txt
.venv/bin/python -m pip check
rm -f .venv/.installed-*
touch "${stamps[@]}"
