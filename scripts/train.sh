#!/usr/bin/env bash
# Train a model only when its inputs changed: the model is named by their hash.
# Usage: scripts/train.sh [CONFIG] -> prints the model path
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-config.yml}
hash=$( (cat "$config" domain.yml; find data bot/rasa bot/data -type f \( -name '*.yml' -o -name '*.py' \) | sort | xargs cat) | sha256sum | cut -c1-16)
name=$(basename "$config" .yml)-$hash
model=models/$name.tar.gz
if [ ! -f "$model" ]; then
  mkdir -p models
  echo "training $model (log: models/$name.log)" >&2
  if ! TF_CPP_MIN_LOG_LEVEL=2 .venv/bin/rasa train --config "$config" --domain domain.yml --data data \
      --out models --fixed-model-name "$name" >"models/$name.log" 2>&1; then
    tail -40 "models/$name.log" >&2
    exit 1
  fi
fi
echo "$model"
