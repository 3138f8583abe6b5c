#!/usr/bin/env bash
# Prints the path of the model trained from the current data and config; fails if there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
model="models/shopassist-$(scripts/model-hash.sh).tar.gz"
[ -f "$model" ] || { echo "no model for the current data and config: run 'make train'" >&2; exit 1; }
echo "$model"
