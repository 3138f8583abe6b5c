"""Verification stamps: the action server's own signature on what a conversation proved.

Rasa sends a conversation's slots with every action call, so a slot alone says only what
the caller wrote into it. When a customer proves who they are, the action server stores a
stamp beside `verified_email` and `verified_order`: an HMAC over the conversation and those
two values, keyed from the action servers' secret. Actions believe the two slots only with a
stamp that matches them; a forged, missing or copied (other conversation, other values)
stamp is no proof. Checking is one HMAC, so every reader checks, every time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from typing import Any, Optional

from shopassist.auth.action_secret import ActionSecretError, action_secret

logger = logging.getLogger(__name__)

VERSION = "v1"
# Its own key, derived from the shared secret, so that a stamp is never a valid value of
# anything else keyed with that secret.
_PURPOSE = b"shopassist verification stamp v1"


# REST callers name their conversation ids themselves (Rasa's REST contract; `rasa shell`
# and shop back ends rely on it), so knowing one is not proof of being its customer.
REST_PREFIX = "rest:"


def holder(conversation: str, client: str) -> str:
    """What a stamp is bound to: the conversation, and for a REST conversation also the
    client it was proven from (shopassist.auth.client: a key of the address the server saw).
    Another client naming the same REST conversation id then finds the verification void and
    is asked to prove it again. Socket.io conversation ids are issued and signed by the
    server (shopassist/channels/sessions.py), so there a new address (a phone changing
    networks) keeps what the conversation proved."""
    conversation = str(conversation or "")
    return f"{conversation}|{client}" if conversation.startswith(REST_PREFIX) else conversation


def _key(secret: Optional[str]) -> bytes:
    return hmac.new(action_secret(secret).encode(), _PURPOSE, hashlib.sha256).digest()


def issue(
    conversation: str, email: Optional[str], order: Optional[str], secret: Optional[str] = None
) -> Optional[str]:
    """The stamp for `email` (and `order`, if one is proven) in `conversation`; None when no
    secret is configured (then nothing can be proven: the action server refuses to start)."""
    try:
        key = _key(secret)
    except ActionSecretError as error:
        logger.error("cannot stamp a verification: %s", error)
        return None
    message = json.dumps([VERSION, str(conversation), email or "", order or ""])
    mac = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return f"{VERSION}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def valid(
    stamp: Any,
    conversation: str,
    email: Optional[str],
    order: Optional[str],
    secret: Optional[str] = None,
) -> bool:
    """True only for the stamp this action server issued for exactly these values."""
    if not isinstance(stamp, str) or not (email or order):
        return False
    expected = issue(conversation, email, order, secret)
    return expected is not None and hmac.compare_digest(expected.encode(), stamp.encode())
