#!/usr/bin/env bash
# The chat widget in a real browser: Playwright (Python) drives Debian's chromium
# against the assistant started with scripts/run.sh on test ports.
# Installs chromium (apt) and the pinned Python packages when missing; idempotent.
# Ports: BROWSER_RASA_PORT, BROWSER_ACTION_PORT, BROWSER_WEB_PORT (5205, 5255, 8200).
# axe-core (WCAG 2.1 A/AA) runs on the chat page and the hotline console (tests/browser/test_accessibility.py).
# Non-zero on any failure. UPDATE_SCREENSHOT=1 also refreshes docs/widget.png.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2 PYTHONUNBUFFERED=1

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "installing chromium (Debian package)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; then
    $sudo apt-get update >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null
  fi
fi
[ -x "$chromium" ] || { echo "no chromium at $chromium" >&2; exit 1; }
scripts/install.sh
.venv/bin/python -c "import playwright.sync_api" 2>/dev/null \
  || .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt -c constraints.txt

model=${MODEL:-$(scripts/train.sh config.yml)}
work=$(mktemp -d)
runner=""
stop() {
  if [ -n "$runner" ]; then kill "$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

export RASA_PORT=${BROWSER_RASA_PORT:-5205} ACTION_PORT=${BROWSER_ACTION_PORT:-5255} WEB_PORT=${BROWSER_WEB_PORT:-8200}
export BOT_VAR_DIR="$work/var" MODEL="$model"
unset HOTLINE_AGENTS SMTP_HOST BOT_DATABASE_URL WEB_PUBLIC_URL CORS_ORIGINS TRACKER_DB WEB_PRIVACY_URL
# the header's links: privacy by default (the page server's /privacy/{lang}), terms configured
export WEB_TERMS_URL="https://www.example.org/{lang}/terms.html"
# the hotline console on, with one agent whose password only this run knows (axe runs on its pages)
BROWSER_HOTLINE_AGENT=tester BROWSER_HOTLINE_PASSWORD=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(18))")
HOTLINE_AGENTS="tester:$(.venv/bin/python -c "import sys; from bot.hotline.passwords import hash_password; print(hash_password(sys.argv[1], iterations=1000))" "$BROWSER_HOTLINE_PASSWORD")"
export BROWSER_HOTLINE_AGENT BROWSER_HOTLINE_PASSWORD HOTLINE_AGENTS
scripts/run.sh >"$work/run.log" 2>&1 &
runner=$!
for _ in $(seq 1 240); do
  grep -q "^ready" "$work/run.log" && break
  kill -0 "$runner" 2>/dev/null || break
  sleep 1
done
if ! grep -q "^ready" "$work/run.log"; then
  echo "the assistant did not start:"; tail -30 "$work/run.log"; tail -30 "$work"/var/logs/*.log 2>/dev/null
  exit 1
fi

keep=""
[ "${UPDATE_SCREENSHOT:-}" = "1" ] && keep="$PWD/docs/widget.png"
status=0
BROWSER_TESTS=1 BROWSER_BASE_URL="http://localhost:$WEB_PORT" CHROMIUM="$chromium" \
  WIDGET_SCREENSHOT="$work/widget.png" KEEP_SCREENSHOT="$keep" \
  timeout 600 .venv/bin/python -m pytest -q -p no:cacheprovider tests/browser || status=$?
if [ $status -ne 0 ]; then
  echo "browser tests failed; last lines of the servers' logs:"
  for f in "$work"/var/logs/*.log; do echo "--- $f"; grep -v -i -E "deprecat|warn" "$f" | tail -15; done
fi
exit $status
