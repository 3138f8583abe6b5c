"""The action server's replies are checked as Rasa checks them, with the validator built once."""

from __future__ import annotations

import inspect

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from shopassist import rasa_patches
from shopassist.channels.reply_check import check_reply, install_compiled_reply_check

ORIGINAL = inspect.unwrap(RemoteAction._validate_action_result)  # Rasa's, even if replaced

GOOD = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "order_id", "value": "100234"}],
        "responses": [{"text": "Order #100234 is shipped.", "buttons": []}],
    },
    {"events": [{"event": "active_loop", "name": None}], "responses": [{"response": "utter_x"}]},
]
BAD = [
    {"events": [{"name": "order_id"}], "responses": []},  # an event without its type
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": "not a list", "responses": []},
]


def rasa_check(result):
    return ORIGINAL(RemoteAction("action_x", None), result)


@pytest.mark.parametrize("result", GOOD)
def test_a_valid_reply_passes_as_in_rasa(result):
    assert rasa_check(result) is True
    assert check_reply(result) is True


@pytest.mark.parametrize("result", BAD)
def test_an_invalid_reply_is_refused_with_rasas_error(result):
    with pytest.raises(ValidationError) as theirs:
        rasa_check(result)
    with pytest.raises(ValidationError) as ours:
        check_reply(result)
    assert ours.value.message == theirs.value.message
    assert "Failed to validate Action server response" in ours.value.message


def test_it_replaces_rasas_check_once(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL)
    install_compiled_reply_check()
    installed = RemoteAction._validate_action_result
    assert installed is not ORIGINAL  # Rasa's check is replaced ...
    assert rasa_patches.installed(installed, "action_result_check")
    install_compiled_reply_check()  # ... once: a second call leaves it as it is
    assert RemoteAction._validate_action_result is installed
    assert installed(RemoteAction("action_x", None), GOOD[1]) is True


def test_rasa_still_checks_replies_the_way_this_replaces():
    """If a Rasa upgrade changes its check, this replacement must be looked at again."""
    source = inspect.getsource(ORIGINAL)
    assert "validate(result, self.action_response_format_spec())" in source
    assert "Failed to validate Action server response from API" in source
