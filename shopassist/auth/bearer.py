"""Short-lived HS256 JWTs in an `Authorization: Bearer` header, signed with a key derived
one-way from a configured secret: the one shape of every proof ShopAssist's own callers send
(to Rasa's API and to the web chat's side routes)."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any, Dict, Optional

import jwt

ALGORITHM = "HS256"  # Rasa's default --jwt-method
LIFETIME_SECONDS = 60  # long enough for one call; a leaked header is soon worthless


def derived_key(secret: str, label: bytes) -> str:
    """A key for one purpose (`label`); it does not give `secret` back."""
    return hmac.new(secret.encode(), label, hashlib.sha256).hexdigest()


def header(claims: Dict[str, Any], key: str, now: Optional[float] = None) -> Dict[str, str]:
    """The Authorization header carrying `claims`, issued now and expiring in a minute."""
    issued = int(now if now is not None else time.time())
    token = jwt.encode({**claims, "iat": issued, "exp": issued + LIFETIME_SECONDS}, key, ALGORITHM)
    return {"Authorization": f"Bearer {token}"}


def claims(authorization: Optional[str], key: str) -> Optional[Dict[str, Any]]:
    """The claims of an unexpired bearer JWT signed with `key`; None for anything else."""
    if not key or not authorization or not authorization.startswith("Bearer "):
        return None
    try:
        return jwt.decode(
            authorization[len("Bearer ") :],
            key,
            algorithms=[ALGORITHM],
            options={"require": ["exp"]},
        )
    except jwt.PyJWTError:
        return None
