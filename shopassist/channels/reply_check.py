"""Rasa's check of each action server reply, with its schema validator built once.

Rasa 3.6 checks every reply of the action server against its response schema with
`jsonschema.validate`, which first validates the (large, constant) schema itself against
the JSON Schema meta-schema, on every call: about 20 ms of a 75 ms order-status turn, twice
on an identity-check turn (bench/BENCHMARKS.md, "Where a turn's time goes"). This builds the
validator once and checks each reply exactly as `jsonschema.validate` does (the same
validator class, the same best-matching error, Rasa's own message appended), so a bad reply
is refused as before. Rasa has no hook for it: shopassist/rasa_patches.py replaces
`RemoteAction._validate_action_result`; tests/unit/test_reply_check.py fails if a Rasa
upgrade changes what it replaces.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from shopassist import rasa_patches


@lru_cache(maxsize=1)
def _validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate does on every call
    return cls(schema)


def check_reply(result: Dict[str, Any]) -> bool:
    """True for a valid reply; raises jsonschema's ValidationError, with Rasa's message
    appended, for an invalid one (what Rasa's own check does)."""
    from jsonschema import exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install_compiled_reply_check() -> None:
    """Replaces Rasa's per-call schema check with check_reply (idempotent)."""
    rasa_patches.install_action_result_check(check_reply)
