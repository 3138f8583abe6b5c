"""Signed customer tokens: a logged-in shop page vouches for the customer's e-mail address.

The page (which knows who is logged in) signs a short-lived JWT and sends it in the chat
message's metadata as `customer_token`; the action server verifies it with the same secret.
A valid token proves identity like "order number + e-mail" does, so the customer is not
asked again. PyJWT (already required by Rasa) does the signing: no hand-written crypto.

Tokens are off unless SHOPASSIST_TOKEN_SECRET is set: there is no default secret, because a
secret everybody knows would let anybody claim any e-mail address.

    python -m shopassist.auth.customer_token anna.becker@example.com   # prints a token

The token is a credential, so it is not stored: the channels verify it and pass Rasa only
`verified_metadata` (the e-mail address it proves, with an HMAC under the same secret, so
that no channel or client can claim an identity without a token).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sys
import time
from typing import Any, Mapping, Optional

import jwt

from shopassist.settings import env_name, get_settings
from shopassist.store.identifiers import normalise_email

logger = logging.getLogger(__name__)

METADATA_KEY = "customer_token"
VERIFIED_KEY = "verified_customer"
SECRET_ENV = env_name("token_secret")
ISSUER = "shopassist-shop"
AUDIENCE = "shopassist-assistant"
DEFAULT_TTL_SECONDS = 3600
ALGORITHM = "HS256"
MIN_SECRET_LENGTH = 32  # HS256 keys shorter than the hash are guessable


class TokenConfigError(RuntimeError):
    pass


def _secret(secret: Optional[str]) -> Optional[str]:
    secret = secret if secret is not None else get_settings().token_secret
    if secret and len(secret) < MIN_SECRET_LENGTH:
        raise TokenConfigError(f"{SECRET_ENV} must be at least {MIN_SECRET_LENGTH} characters")
    return secret or None


def configured() -> bool:
    """True when tokens can be issued and verified (a long enough secret is set)."""
    try:
        return _secret(None) is not None
    except TokenConfigError:
        return False


def issue(
    email: str,
    secret: Optional[str] = None,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    now: Optional[float] = None,
) -> str:
    """A token saying that the bearer is logged in as `email`, valid for `ttl_seconds`."""
    key = _secret(secret)
    address = normalise_email(email)
    if key is None:
        raise TokenConfigError(f"set {SECRET_ENV} to issue customer tokens")
    if address is None:
        raise ValueError("not an e-mail address")
    issued = int(now if now is not None else time.time())
    claims = {
        "sub": address,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": issued,
        "exp": issued + ttl_seconds,
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def verify(token: Any, secret: Optional[str] = None) -> Optional[str]:
    """The e-mail address a valid token vouches for; None for anything else (never raises
    on bad input: a forged, expired or malformed token is just no proof)."""
    try:
        key = _secret(secret)
    except TokenConfigError:
        logger.error("customer tokens are refused: %s is too short", SECRET_ENV)
        return None
    if key is None or not isinstance(token, str) or len(token) > 4096:
        return None
    options = {"require": ["sub", "exp", "iat", "iss", "aud"]}
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],  # never trust the token's own "alg" (e.g. "none")
            audience=AUDIENCE,
            issuer=ISSUER,
            options=options,
        )
    except jwt.PyJWTError:
        return None
    return normalise_email(claims.get("sub"))


def _proof(email: str, key: str) -> str:
    return hmac.new(key.encode(), f"verified\x00{email}".encode(), hashlib.sha256).hexdigest()


def verified_metadata(metadata: Optional[Mapping[str, Any]]) -> dict:
    """What a channel stores instead of the message's metadata: the identity a valid token
    proves (no token), or nothing."""
    email = verify(metadata.get(METADATA_KEY)) if isinstance(metadata, Mapping) else None
    if email is None:
        return {}
    return {VERIFIED_KEY: {"email": email, "proof": _proof(email, _secret(None))}}


def email_from_metadata(metadata: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The verified e-mail address in a message's metadata: the channel's verified identity,
    or a valid token (rasa shell and tests pass the token itself)."""
    if not isinstance(metadata, Mapping):
        return None
    verified = metadata.get(VERIFIED_KEY)
    if isinstance(verified, Mapping):
        try:
            key = _secret(None)
        except TokenConfigError:
            return None
        email, proof = verified.get("email"), verified.get("proof")
        if key and isinstance(email, str) and isinstance(proof, str):
            if hmac.compare_digest(proof, _proof(email, key)):
                return email
        return None
    return verify(metadata.get(METADATA_KEY))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m shopassist.auth.customer_token EMAIL", file=sys.stderr)
        return 2
    try:
        print(issue(argv[0]))
    except (TokenConfigError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
