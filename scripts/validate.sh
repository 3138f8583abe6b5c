#!/usr/bin/env bash
# `rasa data validate`, stricter: any warning fails, including the unused-response warnings
# that Rasa's --fail-on-warnings lets through. Exceptions the validator cannot see being
# used: form questions (utter_ask_*, asked by forms), utter_default (sent by Rasa's
# action_default_fallback) and responses a custom action or the response generator sends
# (named in actions/*.py, shopassist/nlg.py). And one spurious warning: Rasa merges the
# retrieval intents it finds in the NLU data (faq, chitchat) into the domain and calls the
# ones domain.yml already lists "duplicated", though rules need them listed there.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! out=$(.venv/bin/rasa data validate --fail-on-warnings 2>&1); then
  echo "$out"; echo "validate: rasa data validate failed" >&2; exit 1
fi
sent_by_actions=$(grep -ohE '"utter_[a-z0-9_]+"' actions/*.py shopassist/nlg.py | tr -d '"' | sort -u | paste -sd'|' -)
warnings=$(grep -E "UserWarning|WARNING" <<<"$out" \
  | grep -vE "The utterance 'utter_(ask_[A-Za-z0-9_]+|default)' is not used in any story or rule" \
  | grep -vE "The utterance '(${sent_by_actions:-none})' is not used in any story or rule" \
  | grep -vE "duplicated intents have been found across multiple domain files: (chitchat|faq)(, (chitchat|faq))?$" || true)
if [ -n "$warnings" ]; then
  echo "$warnings"; echo "validate: the training data has warnings (above)" >&2; exit 1
fi
echo "validate: domain, NLU data, stories and rules are consistent."
