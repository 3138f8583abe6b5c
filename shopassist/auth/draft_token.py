"""The action server's proof for the web chat's draft route (text shown while it is written).

The action server holds one secret the Rasa servers hold too: SHOPASSIST_ACTION_TOKEN
(endpoints.yml sends it with every action call). A draft is posted with a JWT signed with a
key derived from it for this purpose only, naming the one conversation it may write to and
expiring within a minute: a leaked header shows text in one chat for a minute at most, and
neither the header nor the derived key gives the secret or Rasa's API token.
"""

from __future__ import annotations

from typing import Dict, Optional

from shopassist.auth import bearer

PURPOSE = "draft"
_LABEL = b"shopassist web chat draft v1"


def _key(secret: str) -> str:
    return bearer.derived_key(secret, _LABEL)


def authorization(secret: str, conversation: str, now: Optional[float] = None) -> Dict[str, str]:
    """The header for posting drafts to `conversation`; empty without a secret."""
    if not secret:
        return {}
    return bearer.header({"purpose": PURPOSE, "conversation": conversation}, _key(secret), now)


def verified(header: Optional[str], secret: str, conversation: str) -> bool:
    """Whether `header` carries an unexpired draft JWT for `conversation` signed with
    `secret`'s derived key. False without a secret."""
    if not secret:
        return False
    claims = bearer.claims(header, _key(secret)) or {}
    return claims.get("purpose") == PURPOSE and claims.get("conversation") == conversation
