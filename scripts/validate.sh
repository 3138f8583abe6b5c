#!/usr/bin/env bash
# `rasa data validate`, stricter: any warning fails, including the unused-response warnings
# that Rasa's --fail-on-warnings lets through. Form questions (utter_ask_*) are the one
# exception: forms use them without naming them in stories, which the validator cannot see.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! out=$(.venv/bin/rasa data validate --fail-on-warnings 2>&1); then
  echo "$out"; echo "validate: rasa data validate failed" >&2; exit 1
fi
warnings=$(grep -E "UserWarning|WARNING" <<<"$out" \
  | grep -vE "The utterance 'utter_ask_[A-Za-z0-9_]+' is not used in any story or rule" || true)
if [ -n "$warnings" ]; then
  echo "$warnings"; echo "validate: the training data has warnings (above)" >&2; exit 1
fi
echo "validate: domain, NLU data, stories and rules are consistent."
