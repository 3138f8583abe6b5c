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

from typing import Dict, Optional

from shopassist.auth import bearer

CALLER = "shopassist-console"


def jwt_secret(api_token: str) -> str:
    return bearer.derived_key(api_token, b"shopassist rasa api jwt")


def authorization(api_token: str, now: Optional[float] = None) -> Dict[str, str]:
    """The header to send with a call to Rasa's API (Rasa checks `user.role`: admin may
    call every route); empty without a token (an API without one)."""
    if not api_token:
        return {}
    admin = {"user": {"username": CALLER, "role": "admin"}}
    return bearer.header(admin, jwt_secret(api_token), now)


def verified(header: Optional[str], api_token: str) -> bool:
    """Whether `header` (an Authorization header) carries an unexpired admin JWT signed
    with `api_token`'s derived secret, as `authorization` makes. False without a token."""
    if not api_token:
        return False
    user = (bearer.claims(header, jwt_secret(api_token)) or {}).get("user")
    return isinstance(user, dict) and user.get("role") == "admin"
