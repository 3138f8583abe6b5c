"""The answer to a retrieval intent (faq/*, chitchat/*), picked by the intent classifier.

With `retrieval_labels: true` the intent classifier already scores every answer of every
retrieval intent (faq/return_policy, chitchat/bot_name, ...); on the independent evaluation
set its pick is right as often as the ResponseSelector's (bench/BENCHMARKS.md). This builds
the parse's `response_selector` property from those scores, in the layout Rasa's
ResponseSelector writes, so that Rasa's `utter_faq` / `utter_chitchat` actions, the
processor's `full_retrieval_intent_name`, `rasa test` and actions/knowledge.py read it as
before, and the pipeline needs no second model (the ResponseSelector took about 6 ms of
each parse and 2 minutes of each training).

Layout: one entry per retrieval intent (its best answer, with the answer's share of the
intent's probability as confidence) and `default`, the entry of the likeliest retrieval
intent, as a ResponseSelector without `retrieval_intent` writes it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from rasa.nlu.constants import (
    RESPONSE_SELECTOR_DEFAULT_INTENT,
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import (
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    RESPONSE_IDENTIFIER_DELIMITER,
)
from rasa.shared.nlu.training_data.util import intent_response_key_to_template_key

RANKING_LENGTH = 10


def response_selector(
    labels: Sequence[str],
    probabilities: Sequence[float],
    responses: Dict[str, List[Dict[str, Any]]],
) -> Optional[Dict[str, Any]]:
    """The `response_selector` parse property for one message, or None without retrieval
    labels. `responses`: the training data's responses by template key (utter_faq/x)."""
    by_intent: Dict[str, List[tuple]] = {}
    for label, probability in zip(labels, probabilities):
        intent, delimiter, _ = str(label).partition(RESPONSE_IDENTIFIER_DELIMITER)
        if delimiter:
            by_intent.setdefault(intent, []).append((float(probability), str(label)))
    if not by_intent:
        return None
    selector: Dict[str, Any] = {RESPONSE_SELECTOR_RETRIEVAL_INTENTS: sorted(by_intent)}
    totals = {intent: sum(p for p, _ in picks) for intent, picks in by_intent.items()}
    for intent, picks in by_intent.items():
        total = totals[intent] or 1.0
        ranked = sorted(picks, reverse=True)
        best = ranked[0][1]
        template = intent_response_key_to_template_key(best)
        selector[intent] = {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                RESPONSE_SELECTOR_RESPONSES_KEY: responses.get(template) or [{"text": best}],
                PREDICTED_CONFIDENCE_KEY: ranked[0][0] / total,
                INTENT_RESPONSE_KEY: best,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: template,
            },
            RESPONSE_SELECTOR_RANKING_KEY: [
                {PREDICTED_CONFIDENCE_KEY: p / total, INTENT_RESPONSE_KEY: label}
                for p, label in ranked[:RANKING_LENGTH]
            ],
        }
    selector[RESPONSE_SELECTOR_DEFAULT_INTENT] = selector[max(totals, key=totals.get)]
    return selector
