"""Rasa's response generator, with every response recording what wrote it.

Rasa renders the domain's responses here, whoever sends them: an utter_ action the policies
chose, a form asking for a slot, a retrieval answer (utter_faq/...), a two-stage fallback,
and a custom action's `response=...`. Each is written in the conversation's language
(shopassist.language.turns; the texts of other languages: shopassist/language/replies/).
In the web chat, which welcomes the customer itself, a greeting gets a short hello.
The out-of-scope answer to a message in a language the shop does not serve
(shopassist.nlu.unserved_language) is the list of served languages, in English; to Chinese
written in pinyin, followed by one line in Chinese characters saying they are welcome.
Each gets `generated_by`, `role` and `check` (shopassist/generation/provenance.py), which
Rasa stores in the BotUttered event's metadata.
A custom action's own keys win: Rasa lays them over what is rendered here.

Chosen in the endpoints (`nlg: type: shopassist.nlg.RecordedResponses`). Rasa refreshes a
TemplatedNaturalLanguageGenerator's responses when it loads a model, so this subclasses it.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, Optional

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from shopassist.generation import provenance
from shopassist.language.messages import message as text_of
from shopassist.language.replies import translated
from shopassist.language.turns import conversation_language_of
from shopassist.nlu.unserved_language import routed, written_in_pinyin

NOT_SERVED = "utter_language_not_served"
# The web chat opens with its own welcome, which introduces the assistant (web/src/widget.js):
# a greeting there is answered without a second introduction (a text of messages/<lang>.yml).
WELCOMED = {("socketio", "utter_greet"): "greet.welcomed"}
IN_CHARACTERS = "language.in_characters"  # a text of messages/zh.yml


class RecordedResponses(TemplatedNaturalLanguageGenerator):
    def __init__(
        self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None
    ) -> None:
        super().__init__(domain.responses if domain else {})

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> Optional[Dict[str, Any]]:
        # The fields the language is read from, not each event's whole as_dict(): Rasa
        # renders several responses a turn, over conversations of hundreds of events.
        language = conversation_language_of(
            [
                {
                    "event": "user",
                    "text": event.text,
                    "metadata": event.metadata,
                    "parse_data": event.parse_data,
                }
                for event in tracker.events
                if isinstance(event, UserUttered)
            ]
        )
        utter_action = response_for(utter_action, tracker)
        filled_slots = tracker.current_slot_values()
        response = translated(
            utter_action,
            self._random_response_for(utter_action, output_channel, filled_slots),
            language,
        )
        message = (
            self._fill_response(copy.deepcopy(response), filled_slots, **kwargs)
            if response is not None
            else None
        )
        if message is not None and (output_channel, utter_action) in WELCOMED:
            message["text"] = text_of(WELCOMED[output_channel, utter_action], language)
        if message is not None and utter_action == NOT_SERVED:
            if written_in_pinyin(tracker.latest_message.parse_data or {}):
                message["text"] = f"{message['text']}\n{text_of(IN_CHARACTERS, 'zh')}"
        if message is not None:
            for key, value in provenance.template(provenance.response_role(utter_action)).items():
                message.setdefault(key, value)
        return message


def response_for(utter_action: str, tracker: DialogueStateTracker) -> str:
    """The response to render for `utter_action`: the served languages' list in place of the
    out-of-scope answer when the latest message was out of scope for its language."""
    if utter_action == "utter_out_of_scope" and routed(tracker.latest_message.parse_data or {}):
        return NOT_SERVED
    return utter_action
