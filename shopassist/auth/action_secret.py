"""The secret the Rasa server sends with every action call, and that only the action
servers and the Rasa servers hold (SHOPASSIST_ACTION_TOKEN).

There is no default: a secret everybody knows would let any process that reaches the action
server act as the Rasa server. `make run` and `make shell` generate one per run; production
sets it (deploy/). The action server refuses to start without it, and the same secret keys
the verification stamps (shopassist.auth.stamps).
"""

from __future__ import annotations

from typing import Optional

from shopassist.settings import env_name, get_settings

SECRET_ENV = env_name("action_token")
MIN_LENGTH = 32  # as long as a SHA-256 key: not guessable

HOW_TO = (
    f"ShopAssist's actions answer only the Rasa server, which sends {SECRET_ENV} with each "
    "call (endpoints.yml). `make run` and `make shell` generate one per run; to start the "
    f"servers yourself, export the same {SECRET_ENV} (at least {MIN_LENGTH} characters, e.g. "
    "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`) for "
    "`python -m shopassist.action_server` and for `rasa run` or `rasa shell`."
)


class ActionSecretError(RuntimeError):
    pass


def action_secret(value: Optional[str] = None) -> str:
    """The configured secret; ActionSecretError, saying what to do, if it is unset or short."""
    secret = value if value is not None else get_settings().action_token
    if not secret:
        raise ActionSecretError(f"{SECRET_ENV} is not set. {HOW_TO}")
    if len(secret) < MIN_LENGTH:
        raise ActionSecretError(f"{SECRET_ENV} is shorter than {MIN_LENGTH} characters. {HOW_TO}")
    return secret
