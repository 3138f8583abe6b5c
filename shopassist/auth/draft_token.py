"""The action server's proof for the web chat's draft route (text shown while it is written).

The action server holds one secret the Rasa servers hold too: SHOPASSIST_ACTION_TOKEN
(endpoints.yml sends it with every action call). A draft is posted with a JWT signed with a
key derived from it for this purpose only, naming the one conversation it may write to and
expiring within a minute: a leaked header shows text in one chat for a minute at most, and
neither the header nor the derived key gives the secret or Rasa's API token.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Dict, Optional

import jwt

ALGORITHM = "HS256"
LIFETIME_SECONDS = 60
PURPOSE = "draft"
_LABEL = b"shopassist web chat draft v1"


def _key(secret: str) -> str:
    return hmac.new(secret.encode(), _LABEL, hashlib.sha256).hexdigest()


def authorization(secret: str, conversation: str, now: Optional[float] = None) -> Dict[str, str]:
    """The header for posting drafts to `conversation`; empty without a secret."""
    if not secret:
        return {}
    issued = int(now if now is not None else time.time())
    claims = {
        "purpose": PURPOSE,
        "conversation": conversation,
        "iat": issued,
        "exp": issued + LIFETIME_SECONDS,
    }
    return {"Authorization": f"Bearer {jwt.encode(claims, _key(secret), ALGORITHM)}"}


def verified(header: Optional[str], secret: str, conversation: str) -> bool:
    """Whether `header` carries an unexpired draft JWT for `conversation` signed with
    `secret`'s derived key. False without a secret."""
    if not secret or not header or not header.startswith("Bearer "):
        return False
    try:
        claims = jwt.decode(
            header[len("Bearer ") :],
            _key(secret),
            algorithms=[ALGORITHM],
            options={"require": ["exp"]},
        )
    except jwt.PyJWTError:
        return False
    return claims.get("purpose") == PURPOSE and claims.get("conversation") == conversation
