"""Which of the served languages a customer writes in, and which one a conversation is in.

    from shopassist.language import SUPPORTED, conversation_language, detect

    detect("Wo bleibt meine Bestellung?")        # Reading(language="de", confidence=..., ...)
    detect("Где мой заказ?").unsupported         # "cyrillic": answer in English, list SUPPORTED
    conversation_language("de", "ok")            # "de": a short message keeps the language

Offline: the detector's models ship inside its wheel (lingua-language-detector), and it is
built once per process, on the first message that needs it.
"""

from shopassist.language.conversation import conversation_language, served
from shopassist.language.reading import MARGIN, SUPPORTED, Reading, detect

__all__ = ["MARGIN", "SUPPORTED", "Reading", "conversation_language", "detect", "served"]
