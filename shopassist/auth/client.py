"""Which client a message came from, for limits that must follow a guesser across chats.

Rasa does not pass the client's address to actions, so the channels put an opaque key for
it in the message's metadata under CLIENT_KEY (derived from the address the server saw,
never from anything the client sent: the channels store no client metadata). Without one
(rasa shell, a channel that sets none) the conversation stands in for the client.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

CLIENT_KEY = "client"
MAX_LENGTH = 80  # as stored with each failed identity check


def client_key(metadata: Optional[Mapping[str, Any]], conversation: str) -> str:
    value = metadata.get(CLIENT_KEY) if isinstance(metadata, Mapping) else None
    if isinstance(value, str) and value.strip():
        return f"client:{value.strip()[: MAX_LENGTH - 7]}"
    return f"conversation:{conversation}"[:MAX_LENGTH]
