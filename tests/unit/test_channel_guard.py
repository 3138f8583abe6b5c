"""A failed custom action or a failed turn answers "temporarily unavailable", never nothing."""

import asyncio

from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from shopassist.channels.guard import (
    PROMPT,
    UNAVAILABLE,
    guarded,
    install_action_failure_reply,
)
from shopassist.cluster import free_port


def test_an_unreachable_action_server_gives_the_apology():
    install_action_failure_reply()
    install_action_failure_reply()  # once only
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")  # nobody listens
    action = RemoteAction("action_order_status", endpoint)
    tracker = DialogueStateTracker("c1", slots=[])
    events = asyncio.run(action.run(CollectingOutputChannel(), None, tracker, Domain.empty()))
    assert [e.text for e in events if isinstance(e, BotUttered)] == [UNAVAILABLE]


def test_a_failed_turn_gets_the_apology_and_a_silent_one_a_prompt():
    async def silent(message):  # e.g. "/restart": Rasa's action says nothing
        return None

    async def crashing(message):
        raise RuntimeError("tracker store down")

    for handler, reply in ((silent, PROMPT), (crashing, UNAVAILABLE)):
        output = CollectingOutputChannel()
        asyncio.run(guarded(handler)(UserMessage("hi", output, "c2")))
        assert [m["text"] for m in output.messages] == [reply]


def test_a_turn_that_answered_is_left_alone():
    async def answers(message):
        await message.output_channel.send_response(message.sender_id, {"text": "Hello!"})

    output = CollectingOutputChannel()
    asyncio.run(guarded(answers)(UserMessage("hi", output, "c3")))
    assert [m["text"] for m in output.messages] == ["Hello!"]
