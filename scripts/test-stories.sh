#!/usr/bin/env bash
# rasa test on the test stories, with every report kept in results/stories/ (the rest of
# results/, e.g. the benchmark's results/bench/, is left alone).
# `--fail-on-prediction-errors` stops at the first wrong prediction, before any report is
# written; so the whole set is evaluated first, and any failed story then fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$(scripts/current-model.sh)
out=results/stories
rm -rf "$out" && mkdir -p "$out"
.venv/bin/rasa test core --model "$model" --stories tests/ --out "$out"
failed=$out/failed_test_stories.yml
if [ -s "$failed" ] && grep -q "story:" "$failed"; then
  echo "test-stories: some test stories failed ($failed):" >&2
  cat "$failed" >&2
  exit 1
fi
summary=$(.venv/bin/python -c 'import json; d = json.load(open("results/stories/story_report.json"))["conversation_accuracy"]; print(d["correct"], "of", d["total"])')
echo "test-stories: $summary test stories passed, no prediction errors (reports in $out/)."
