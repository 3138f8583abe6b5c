"""What ShopAssist changes or uses inside Rasa is still there, as it was (Rasa 3.6).

A Rasa upgrade that renames or re-shapes one of these fails here, naming it, instead of a
patch silently no longer applying or a subclass no longer being called. The patches are in
shopassist/rasa_patches.py; the private parts below are what the subclasses use.
"""

from __future__ import annotations

import asyncio
import gc
import inspect

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.brokers.pika import PikaEventBroker
from rasa.core.channels.channel import OutputChannel, decode_bearer_token
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa_sdk import Tracker

from shopassist import rasa_patches
from shopassist.at_rest import DataKeyError
from shopassist.channels.guard import UNAVAILABLE, failure_reply, install_action_failure_reply
from shopassist.channels.reply_check import install_compiled_reply_check
from shopassist.marks import Marks

# Replaced by shopassist/rasa_patches.py: (class, attribute, Rasa's parameters).
PATCHED = [
    (RemoteAction, "run", ["self", "output_channel", "nlg", "tracker", "domain"]),
    (RemoteAction, "_validate_action_result", ["self", "result"]),
    (FailSafeTrackerStore, "on_tracker_store_error", ["self", "error"]),
    (FailSafeTrackerStore, "on_tracker_store_retrieve_error", ["self", "error"]),
]

# Private parts of Rasa that ShopAssist's subclasses override or call: (class, attribute,
# parameters, who uses it). No public hook offers what they do.
PRIVATE = [
    (SQLTrackerStore, "_event_query", ["self", "session", "sender_id",
     "fetch_events_from_all_sessions"], "shopassist/tracker_store.py"),
    (SQLTrackerStore, "_additional_events", ["self", "session", "tracker"],
     "shopassist/tracker_store.py"),
    (TrackerStore, "_stream_new_events", ["self", "event_broker", "new_events", "sender_id"],
     "shopassist/tracker_store.py"),
    (Event, "_from_parameters", ["parameters"], "shopassist/tracker_store.py"),
    (SocketIOOutput, "_send_message", ["self", "socket_id", "response"],
     "shopassist/channels/socketio.py"),
    (RestInput, "_extract_sender", ["self", "req"], "shopassist/channels/rest.py"),
    (RestInput, "_extract_message", ["self", "req"], "shopassist/channels/rest.py"),
    (RestInput, "_extract_input_channel", ["self", "req"], "shopassist/channels/rest.py"),
    (TemplatedNaturalLanguageGenerator, "_random_response_for",
     ["self", "utter_action", "output_channel", "filled_slots"], "shopassist/nlg.py"),
    (TemplatedNaturalLanguageGenerator, "_fill_response",
     ["self", "response", "filled_slots", "kwargs"], "shopassist/nlg.py"),
    (LogisticRegressionClassifier, "_create_X", ["self", "messages"],
     "shopassist/nlu/intent_classifier.py"),
    (LogisticRegressionClassifier, "_create_training_matrix", ["self", "training_data"],
     "shopassist/nlu/intent_classifier.py"),
    (OutputChannel, "send_response", ["self", "recipient_id", "message"],
     "shopassist/channels/guard.py (counts a turn's replies)"),
]  # fmt: skip


def parameters(function) -> list:
    return list(inspect.signature(inspect.unwrap(function)).parameters)


@pytest.mark.parametrize(
    "owner, name, expected", PATCHED, ids=[f"{o.__name__}.{n}" for o, n, _ in PATCHED]
)
def test_what_is_patched_is_still_rasas_as_the_patch_expects(owner, name, expected):
    assert hasattr(owner, name), f"Rasa has no {owner.__name__}.{name}: see rasa_patches.py"
    found = parameters(getattr(owner, name))
    assert found == expected, (
        f"Rasa's {owner.__name__}.{name} now takes {found}, not {expected}: "
        "shopassist/rasa_patches.py must be looked at again"
    )


@pytest.mark.parametrize(
    "owner, name, expected, user", PRIVATE, ids=[f"{o.__name__}.{n}" for o, n, _, _ in PRIVATE]
)
def test_the_private_parts_used_are_still_there(owner, name, expected, user):
    assert hasattr(owner, name), f"Rasa has no {owner.__name__}.{name}, which {user} uses"
    found = parameters(getattr(owner, name))
    assert found == expected, (
        f"Rasa's {owner.__name__}.{name} now takes {found}, not {expected}: {user} uses it"
    )


def test_the_patches_are_installed_once_keeping_rasas_methods():
    originals = {(o, n): inspect.unwrap(getattr(o, n)) for o, n, _ in PATCHED}
    for _ in range(2):
        install_action_failure_reply()
        install_compiled_reply_check()
        rasa_patches.install_fail_safe_reraise(DataKeyError)  # as BoundedSQLTrackerStore does
    for (owner, name), original in originals.items():
        replacement = getattr(owner, name)
        assert replacement is not original
        assert replacement.__wrapped__ is original  # one layer: installed once


def test_a_failing_custom_action_answers_and_a_rejection_still_goes_up():
    action = RemoteAction("action_x", None)
    tracker = DialogueStateTracker("c1", slots=[])

    async def down(*args):
        raise RasaException("action server down")

    async def rejected(*args):
        raise ActionExecutionRejection("action_x")  # a form's "not this one"

    answered = asyncio.run(
        rasa_patches.answering_failures(down, failure_reply)(action, None, None, tracker, None)
    )
    assert [(e.text, e.metadata["failed_action"]) for e in answered] == [(UNAVAILABLE, "action_x")]
    with pytest.raises(ActionExecutionRejection):
        run = rasa_patches.answering_failures(rejected, failure_reply)
        asyncio.run(run(action, None, None, tracker, None))


class Failing(TrackerStore):
    def __init__(self, error: Exception) -> None:
        super().__init__(Domain.empty())
        self.error = error

    async def retrieve(self, sender_id):
        raise self.error

    async def save(self, tracker):
        raise self.error


def test_the_fail_safe_store_lets_the_key_errors_through_and_no_others():
    rasa_patches.install_fail_safe_reraise(DataKeyError)  # what BoundedSQLTrackerStore does
    with pytest.raises(DataKeyError):
        asyncio.run(FailSafeTrackerStore(Failing(DataKeyError("no key"))).retrieve("c1"))
    with pytest.raises(DataKeyError):
        asyncio.run(FailSafeTrackerStore(Failing(DataKeyError("no key"))).save(None))
    # anything else falls back as in Rasa: no tracker, and a save goes to memory
    assert asyncio.run(FailSafeTrackerStore(Failing(RuntimeError())).retrieve("c1")) is None
    asyncio.run(FailSafeTrackerStore(Failing(RuntimeError())).save(DialogueStateTracker("c", [])))


def test_what_the_socketio_channel_keeps_of_rasas_is_there():
    """shopassist/channels/socketio.py builds its own server and handlers, mounted with
    Rasa's SocketBlueprint, from the settings Rasa's SocketIOInput reads."""
    assert parameters(SocketBlueprint.__init__) == [
        "self",
        "sio",
        "socketio_path",
        "args",
        "kwargs",
    ]
    assert parameters(decode_bearer_token) == ["bearer_token", "jwt_key", "jwt_algorithm"]
    channel = SocketIOInput.from_credentials({"jwt_key": "k", "namespace": "/chat"})
    settings = ("user_message_evt", "bot_message_evt", "namespace", "session_persistence")
    settings += ("socketio_path", "jwt_key", "jwt_algorithm", "metadata_key", "sio")
    assert all(hasattr(channel, name) for name in settings)
    assert (channel.jwt_key, channel.namespace) == ("k", "/chat")


def test_the_pika_broker_still_keeps_its_publishing_tasks():
    """shopassist/event_broker.py waits for them before closing."""
    source = inspect.getsource(PikaEventBroker.__init__)
    assert "self._background_tasks" in source


def test_the_logistic_regression_classifier_still_keeps_its_storage():
    """shopassist/nlu/intent_classifier.py persists beside it, in its resource."""
    source = inspect.getsource(LogisticRegressionClassifier.__init__)
    assert "self._model_storage = model_storage" in source
    assert "self._resource = resource" in source


def test_rasas_server_app_is_still_found_by_name():
    """shopassist/channels/guard.py reads the agent from the Sanic app named rasa_server."""
    import rasa.server

    assert 'Sanic("rasa_server")' in inspect.getsource(rasa.server.create_app)
    assert "app.ctx.agent" in inspect.getsource(rasa.server)


@pytest.mark.parametrize(
    "make",
    [
        lambda: DialogueStateTracker("c1", slots=[]),
        lambda: Tracker("c1", {}, {}, [], False, None, {}, ""),
    ],
)
def test_trackers_carry_no_attributes_of_ours_and_marks_follow_the_object(make):
    marks: Marks[int] = Marks()
    tracker, twin = make(), make()
    assert tracker == twin  # equal, yet each keeps its own mark (why no dict or WeakKeyDict)
    before = set(vars(tracker))
    marks.set(tracker, 1)
    marks.set(tracker, 2)
    assert (marks.get(tracker), marks.get(twin)) == (2, None)
    assert set(vars(tracker)) == before
    del tracker
    gc.collect()
    assert len(marks) == 0  # forgotten with the tracker
