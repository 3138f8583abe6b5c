"""How ShopAssist proves itself to Rasa's HTTP API without putting a secret in a URL.

Rasa 3.6 takes its API token only as a query parameter (`?token=...`), which ends up in
access logs, proxy logs and error messages. It also accepts a JWT in an `Authorization:
Bearer` header when started with `--jwt-secret`. The JWT secret is derived from the one
configured API token (SHOPASSIST_RASA_TOKEN), so there is still a single secret to set:
`python -m shopassist.serve` gives Rasa both, and callers (the console's takeover) send a
short-lived JWT signed with the derived secret in a header. The derivation is one-way: a
JWT, or the derived secret, does not give the API token. The routes ShopAssist adds to the
Rasa server (the web chat's typing signal) accept the same header (`verified`).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Dict, Optional

import jwt

ALGORITHM = "HS256"  # Rasa's default --jwt-method
LIFETIME_SECONDS = 60  # long enough for one call; a leaked header is soon worthless
CALLER = "shopassist-console"


def jwt_secret(api_token: str) -> str:
    return hmac.new(api_token.encode(), b"shopassist rasa api jwt", hashlib.sha256).hexdigest()


def authorization(api_token: str, now: Optional[float] = None) -> Dict[str, str]:
    """The header to send with a call to Rasa's API (Rasa checks `user.role`: admin may
    call every route); empty without a token (an API without one)."""
    if not api_token:
        return {}
    issued = int(now if now is not None else time.time())
    claims = {
        "user": {"username": CALLER, "role": "admin"},
        "iat": issued,
        "exp": issued + LIFETIME_SECONDS,
    }
    return {"Authorization": f"Bearer {jwt.encode(claims, jwt_secret(api_token), ALGORITHM)}"}


def verified(header: Optional[str], api_token: str) -> bool:
    """Whether `header` (an Authorization header) carries an unexpired admin JWT signed
    with `api_token`'s derived secret, as `authorization` makes. False without a token."""
    if not api_token or not header or not header.startswith("Bearer "):
        return False
    try:
        claims = jwt.decode(
            header[len("Bearer ") :],
            jwt_secret(api_token),
            algorithms=[ALGORITHM],
            options={"require": ["exp"]},
        )
    except jwt.PyJWTError:
        return False
    user = claims.get("user")
    return isinstance(user, dict) and user.get("role") == "admin"
