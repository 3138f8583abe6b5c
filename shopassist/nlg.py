"""Rasa's response generator, with every response recording what wrote it.

Rasa renders the domain's responses here, whoever sends them: an utter_ action the policies
chose, a form asking for a slot, a retrieval answer (utter_faq/...), a two-stage fallback,
and a custom action's `response=...`. Each gets `generated_by`, `role` and `check`
(shopassist/generation/provenance.py), which Rasa stores in the BotUttered event's metadata.
A custom action's own keys win: Rasa lays them over what is rendered here.

Chosen in the endpoints (`nlg: type: shopassist.nlg.RecordedResponses`). Rasa refreshes a
TemplatedNaturalLanguageGenerator's responses when it loads a model, so this subclasses it.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from shopassist.generation import provenance


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
        message = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if message is not None:
            for key, value in provenance.template(provenance.response_role(utter_action)).items():
                message.setdefault(key, value)
        return message
