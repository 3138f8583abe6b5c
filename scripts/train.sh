#!/usr/bin/env bash
# Trains a model unless one for the current data, config and code exists (FORCE=1 retrains).
set -euo pipefail
cd "$(dirname "$0")/.."
name="shopassist-$(scripts/model-hash.sh)"
if [ -f "models/$name.tar.gz" ] && [ "${FORCE:-0}" != "1" ]; then
  echo "train: models/$name.tar.gz is up to date with data and config."
  exit 0
fi
echo "train: training models/$name.tar.gz (a few minutes)..."
start=$(date +%s)
.venv/bin/rasa train --fixed-model-name "$name" --out models
echo "train: done in $(( $(date +%s) - start )) s."
# Keep the three newest models; older ones only fill the disk.
ls -1t models/shopassist-*.tar.gz 2>/dev/null | tail -n +4 | xargs -r rm -f
