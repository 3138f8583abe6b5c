"""Every message an action sends records what wrote it (shopassist/generation/provenance.py).

`@authored("order")` on an action's `run` hands it a dispatcher that adds `generated_by`,
`role` and `check` to each message: the shop's own words in the action's role, or in the
role of the domain response it sends (`response="utter_..."`). A message that says
otherwise keeps its own keys: a model's reply passes `**provenance.of_reply(reply, role)`,
an apology for a service that is down passes `role="error"`. Rasa keeps the extra keys in
the stored BotUttered event's metadata.
"""

from __future__ import annotations

import functools
from typing import Any, Optional

from shopassist.generation import provenance


class AuthoredDispatcher:
    """A rasa-sdk dispatcher whose messages carry their authorship."""

    def __init__(self, dispatcher: Any, role: str) -> None:
        self.dispatcher = dispatcher
        self.role = role

    def utter_message(self, text: Optional[str] = None, **kwargs: Any) -> None:
        response = kwargs.get("response")
        role = provenance.response_role(response) if response else self.role
        self.dispatcher.utter_message(text=text, **{**provenance.template(role), **kwargs})

    def __getattr__(self, name: str) -> Any:  # messages, and anything else it has
        return getattr(self.dispatcher, name)


def authored(role: Optional[str] = None):
    """Decorates `run(self, dispatcher, tracker, domain)`; without a role, the action
    class's `role` attribute counts (one base class, subclasses of several roles)."""

    def decorate(run):
        @functools.wraps(run)
        async def wrapper(self, dispatcher, tracker, domain):
            own = AuthoredDispatcher(dispatcher, role or self.role)
            return await run(self, own, tracker, domain)

        wrapper.role = role  # None: the class says (tests/unit/test_authorship.py)
        return wrapper

    return decorate
