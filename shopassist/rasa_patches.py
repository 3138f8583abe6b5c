"""Every change ShopAssist makes to Rasa's own classes, in one place.

Where Rasa 3.6 offers a hook, ShopAssist uses it: custom channels (shopassist/channels/),
a custom tracker store, lock store and event broker (endpoints.yml), a custom NLG class
(shopassist/nlg.py), NLU components (config.yml) and event metadata. For the three changes
below Rasa has none, so each replaces one method of a Rasa class, once per process
(idempotent), keeping the original as `__wrapped__`. The product's behaviour is passed in
by the module that needs it; this module knows only Rasa.

1. `RemoteAction.run` (`install_action_failure_reply`, called by
   shopassist/channels/guard.py): a custom action that can't be run answers instead of
   saying nothing. Rasa logs the failure and drops the action's events; no setting, event
   or channel sees it, and `RemoteAction.run` is the one place every call to the action
   server passes.
2. `RemoteAction._validate_action_result` (`install_action_result_check`, called by
   shopassist/channels/reply_check.py): the action server's reply is checked with a
   validator built once instead of re-checking the schema on every call. Rasa builds
   `RemoteAction` itself for every custom action, so a subclass would never be used.
3. `FailSafeTrackerStore.on_tracker_store_error` and `.on_tracker_store_retrieve_error`
   (`install_fail_safe_reraise`, called by shopassist/tracker_store.py): a conversation
   that can't be decrypted fails its turn instead of starting again empty. The Agent wraps
   every tracker store in a FailSafeTrackerStore without the error callback its
   constructor takes, so only the class can be changed.

tests/unit/test_rasa_patches.py pins each replaced method (it exists, with the parameters
the replacement expects) and the private parts of Rasa the subclasses use, so that a Rasa
upgrade fails there, naming what changed.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List, Type

MARK = "shopassist_patch"  # on each replacement: the name of the patch


def installed(function: Any, name: str) -> bool:
    """Whether `function` is this module's replacement `name`."""
    return getattr(function, MARK, None) == name


def _replace(owner: type, attribute: str, name: str, make: Callable[[Any], Any]) -> None:
    """Replaces `owner.attribute` with `make(original)`, unless patch `name` is there."""
    original = getattr(owner, attribute)
    if installed(original, name):
        return
    replacement = functools.wraps(original)(make(original))
    setattr(replacement, MARK, name)
    setattr(owner, attribute, replacement)


def answering_failures(run: Any, on_failure: Callable[[str, Exception], List[Any]]) -> Any:
    """`RemoteAction.run` (`run`) returning `on_failure(action name, error)` (its events)
    when the action fails with a RasaException; a form's ActionExecutionRejection still goes
    up."""
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException

    async def run_or_answer(self, output_channel, nlg, tracker, domain):
        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:  # a form's "not this one", not a failure
            raise
        except RasaException as error:
            return on_failure(self.name(), error)

    return run_or_answer


def install_action_failure_reply(on_failure: Callable[[str, Exception], List[Any]]) -> None:
    """Patch 1: RemoteAction.run answers a failure with `on_failure`'s events."""
    from rasa.core.actions.action import RemoteAction

    make = functools.partial(answering_failures, on_failure=on_failure)
    _replace(RemoteAction, "run", "action_failure_reply", make)


def install_action_result_check(check: Callable[[Dict[str, Any]], bool]) -> None:
    """Patch 2: `RemoteAction._validate_action_result(result)` is `check(result)`."""
    from rasa.core.actions.action import RemoteAction

    def make(_original: Any) -> Any:
        def validate_action_result(self, result: Dict[str, Any]) -> bool:
            return check(result)

        return validate_action_result

    _replace(RemoteAction, "_validate_action_result", "action_result_check", make)


FAIL_SAFE_HOOKS = ("on_tracker_store_retrieve_error", "on_tracker_store_error")


def reraising(hook: Any, error_type: Type[Exception]) -> Any:
    """FailSafeTrackerStore's error hook `hook`, raising an `error_type` error again instead
    of logging it (and handing out a new tracker, or saving to its in-memory fallback)."""

    def reraise(self, error: Exception) -> None:
        if isinstance(error, error_type):
            raise error
        hook(self, error)

    return reraise


def install_fail_safe_reraise(error_type: Type[Exception]) -> None:
    """Patch 3: FailSafeTrackerStore lets `error_type` errors through (installed once: a
    later call's type is not added)."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    make = functools.partial(reraising, error_type=error_type)
    for attribute in FAIL_SAFE_HOOKS:
        _replace(FailSafeTrackerStore, attribute, f"fail_safe_reraise.{attribute}", make)
