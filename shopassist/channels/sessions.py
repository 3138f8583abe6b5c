"""Conversation ids issued by the server, signed, and kept apart per channel.

A conversation id used to be whatever the client named, so naming a victim's id joined
their conversation. Now the socket.io channel issues every session: `<id>-<mac>`, where the
mac is an HMAC-SHA256 of the channel and id under SHOPASSIST_SESSION_SECRET. Only the
server can make one, and the widget sends it back after a reload to rejoin. What Rasa
stores, and what the console and the HTTP API name, is the conversation id
`<channel>:<id>`, without the mac: knowing it is not enough to join.

Every channel's sender ids carry the channel's prefix, so a REST caller can never reach a
socket.io conversation (or the other way round).

Without SHOPASSIST_SESSION_SECRET (at least 32 characters) each process makes its own random
one: sessions then last as long as the process. `make run` and the cluster set one per run.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from typing import Optional, Tuple

from shopassist.settings import env_name, get_settings

logger = logging.getLogger(__name__)

SECRET_ENV = env_name("session_secret")
MIN_SECRET_LENGTH = 32
_SIGNED = re.compile(r"^([0-9a-f]{32})-([0-9a-f]{32})$")  # what store.js keeps, too
_process_secret = secrets.token_bytes(32)


def _key() -> bytes:
    secret = get_settings().session_secret
    if len(secret) >= MIN_SECRET_LENGTH:
        return secret.encode()
    if secret:
        logger.error("%s is shorter than %d characters: ignored", SECRET_ENV, MIN_SECRET_LENGTH)
    return _process_secret


def _mac(channel: str, session: str) -> str:
    message = f"{channel}\x00{session}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()[:32]


def conversation_id(channel: str, session: str) -> str:
    """The sender id Rasa stores for `session` of `channel`."""
    return f"{channel}:{session}"


def issue(channel: str) -> Tuple[str, str]:
    """A new session: (the signed id the client keeps, the conversation id)."""
    session = secrets.token_hex(16)
    return f"{session}-{_mac(channel, session)}", conversation_id(channel, session)


def verify(channel: str, signed: object) -> Optional[str]:
    """The conversation id of a signed session id this server issued, else None."""
    if not isinstance(signed, str) or len(signed) != 65:
        return None
    match = _SIGNED.match(signed)
    if not match or not hmac.compare_digest(match.group(2), _mac(channel, match.group(1))):
        return None
    return conversation_id(channel, match.group(1))
