#!/usr/bin/env bash
# Every test: unit tests, Rasa data validation, dialogue test stories, then the
# example conversations against the running assistant. Non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2 PYTHONUNBUFFERED=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
stages=0 failed_stages=0 stage_failed=0
fail() { status=1; stage_failed=1; }
end_stage() { if [ $stage_failed -eq 1 ]; then failed_stages=$((failed_stages + 1)); fi; stage_failed=0; }
step() { if [ $stages -gt 0 ]; then end_stage; fi; stages=$((stages + 1)); echo; echo "=== $*"; }

step "unit tests (pytest)"
.venv/bin/python -m pytest -q -p no:cacheprovider tests || fail

step "rasa data validate"
.venv/bin/rasa data validate --domain domain.yml --data data --config config.yml --fail-on-warnings >"$work/validate.log" 2>&1 \
  || { tail -40 "$work/validate.log"; fail; }
grep -E "^(.*(WARNING|ERROR|UserWarning).*)$" "$work/validate.log" | head -20 || true

step "train"
model=$(scripts/train.sh config.yml)

step "dialogue test stories (FR, DE, EN)"
.venv/bin/rasa test core --model "$model" --stories tests/stories --out "$work/core" --fail-on-prediction-errors \
  >"$work/core.log" 2>&1 || { tail -40 "$work/core.log"; cat "$work/core/failed_test_stories.yml" 2>/dev/null | head -80; fail; }
grep -E "Finished|Correct|stories" "$work/core.log" | tail -4 || true

step "example conversations against the running assistant"
export RASA_PORT=${TEST_RASA_PORT:-5105} ACTION_PORT=${TEST_ACTION_PORT:-5155} WEB_PORT=${TEST_WEB_PORT:-8100}
export BOT_VAR_DIR="$work/var" MODEL="$model"
runner=
start_assistant() {
  : >"$work/run.log"
  scripts/run.sh >>"$work/run.log" 2>&1 &
  runner=$!
  for _ in $(seq 1 240); do
    grep -q "^ready" "$work/run.log" && return 0
    kill -0 $runner 2>/dev/null || break
    sleep 1
  done
  echo "the assistant did not start:"; tail -30 "$work/run.log"; tail -30 "$work"/var/logs/*.log 2>/dev/null
  return 1
}
stop_assistant() { kill $runner 2>/dev/null || true; wait $runner 2>/dev/null || true; }
if [ ! -d ../shared/eval/scenarios ]; then
  echo "../shared/eval/scenarios not found (clone with ../shared beside it)"; fail
elif start_assistant; then
  .venv/bin/python ../shared/eval/converse.py --url "http://localhost:$RASA_PORT" \
    --dossier-cmd "BOT_VAR_DIR=$work/var .venv/bin/python -m bot dossiers show {ref} --json" \
    ../shared/eval/scenarios ../shared/eval/scenarios/next tests/scenarios/*.yml || fail
  step "conversations written by independent writers (tests/scenarios/writers/, heldout/, unseen/, fourth/, fifth/, sixth/, seventh/, eighth/, ninth/, tenth/, eleventh/, twelfth/): share that passes"
  .venv/bin/python ../shared/eval/converse.py --url "http://localhost:$RASA_PORT" \
    --dossier-cmd "BOT_VAR_DIR=$work/var .venv/bin/python -m bot dossiers show {ref} --json" \
    --json "$work/writers.json" tests/scenarios/writers tests/scenarios/heldout tests/scenarios/unseen \
    tests/scenarios/fourth tests/scenarios/fifth tests/scenarios/sixth tests/scenarios/seventh tests/scenarios/eighth tests/scenarios/ninth tests/scenarios/tenth tests/scenarios/eleventh tests/scenarios/twelfth >"$work/writers.log" 2>&1 || true
  grep -E "^FAIL" "$work/writers.log" | head -60 || true
  .venv/bin/python scripts/scenario_share.py "$work/writers.json" tests/scenarios/writers/*.yml \
    tests/scenarios/heldout/*.yml tests/scenarios/unseen/*.yml tests/scenarios/fourth/*.yml \
    tests/scenarios/fifth/*.yml tests/scenarios/sixth/*.yml tests/scenarios/seventh/*.yml tests/scenarios/eighth/*.yml tests/scenarios/ninth/*.yml tests/scenarios/tenth/*.yml tests/scenarios/eleventh/*.yml tests/scenarios/twelfth/*.yml || fail
  step "a restart in the middle of a request loses nothing"
  .venv/bin/python scripts/check_resume.py before "http://localhost:$RASA_PORT" resume-check || fail
  stop_assistant
  if start_assistant; then
    .venv/bin/python scripts/check_resume.py after "http://localhost:$RASA_PORT" resume-check || fail
  else
    fail
  fi
  stop_assistant
else
  fail
fi

step "the chat widget in a real browser (Chromium, Playwright)"
MODEL="$model" scripts/test_browser.sh || fail

step "production profile: PostgreSQL, Redis, two Rasa instances behind nginx, faults, edge input, privacy"
MODEL="$model" scripts/test_prod.sh || fail

end_stage
echo
if [ $status -eq 0 ]; then echo "make test: every stage passed"; else echo "make test: FAILED (see above)"; fi
echo "stages: $((stages - failed_stages)) passed, $failed_stages failed"
exit $status
