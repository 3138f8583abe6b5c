"""What wrote a bot message, as the tracker store keeps it.

Rasa's own classes, in this process: the action server is real (a process, as `make run`
starts it, with a model behind a fake OpenAI-compatible endpoint), Rasa calls it with
`RemoteAction`, says its responses with `ActionBotResponse` and `ActionRetrieveResponse`
through the endpoints' generator (shopassist.nlg), and the events are saved to and read
back from the SQL tracker store. No trained model is needed: the actions are chosen here.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa.core.actions.action import ActionBotResponse, ActionRetrieveResponse, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from shopassist.auth import stamps
from shopassist.auth.action_secret import SECRET_ENV
from shopassist.auth.client import client_key
from shopassist.channels.guard import UNAVAILABLE, install_action_failure_reply
from shopassist.cluster import free_port, wait_until_up
from shopassist.console.takeover import _bot
from shopassist.nlg import RecordedResponses
from shopassist.tracker_store import BoundedSQLTrackerStore
from tests.fake_llm import FakeLLM

ROOT = Path(__file__).resolve().parents[2]
MODEL = "shop-model-7b"
SENDER = "rest:authorship-test"


@pytest.fixture(scope="module")
def domain():
    return Domain.load(ROOT / "domain.yml")


@pytest.mark.parametrize("path", ["endpoints.yml", "deploy/endpoints.production.yml"])
def test_every_endpoints_file_chooses_the_recording_generator(path, domain):
    config = yaml.safe_load((ROOT / path).read_text())["nlg"]
    assert config == {"type": "shopassist.nlg.RecordedResponses"}
    # As Rasa builds it: before a model is loaded (no domain), then given its responses.
    nlg = NaturalLanguageGenerator.create(EndpointConfig(type=config["type"]), None)
    assert isinstance(nlg, RecordedResponses)


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    """The action server on a seeded database, its generator a model that rephrases well."""
    from tests.conftest import seeded_sqlite

    def rephrase(messages):
        return messages[1]["content"].replace("Order #", "Your order #", 1)

    db_url = seeded_sqlite(tmp_path_factory)
    port = free_port()
    log = tmp_path_factory.mktemp("actions") / "actions.log"
    with FakeLLM(rephrase) as llm:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SHOPASSIST_DB_URL": db_url,
            "SHOPASSIST_GENERATOR": "openai",
            "SHOPASSIST_LLM_URL": llm.url,
            "SHOPASSIST_LLM_MODEL": MODEL,
            "SHOPASSIST_LLM_TIMEOUT": "10",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "shopassist.action_server", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/health", process, log, seconds=120)
            yield EndpointConfig(
                f"http://127.0.0.1:{port}/webhook",
                headers={"Authorization": f"Bearer {os.environ[SECRET_ENV]}"},
            )
        finally:
            process.terminate()
            process.wait(timeout=30)


def customer_says(text, intent, **parse):
    parse_data = {"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": []}
    return [ActionExecuted("action_listen"), UserUttered(text, parse_data=parse_data | parse)]


def proven_customer(domain):
    email, order = "anna.becker@example.com", "100234"
    slots = [
        SlotSet("order_id", order),
        SlotSet("verified_email", email),
        SlotSet("verified_order", order),
        # A REST conversation's stamp is bound to the client too (none named here).
        SlotSet(
            "identity_stamp",
            stamps.issue(stamps.holder(SENDER, client_key({}, SENDER)), email, order),
        ),
    ]
    events = customer_says("where is my order?", "order_status") + slots
    return DialogueStateTracker.from_events(SENDER, events, slots=domain.slots)


def run(action, domain, tracker, nlg):
    """Runs `action` as Rasa's processor does and logs its events on the tracker."""
    events = asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, domain))
    tracker.update(ActionExecuted(action.name()))
    for event in events:
        tracker.update(event)


def authorship(event: BotUttered) -> tuple:
    meta = event.metadata
    return meta.get("generated_by"), meta.get("role"), meta.get("check"), meta.get("rejected")


def test_the_stored_events_say_what_wrote_each_message(domain, action_server, tmp_path):
    nlg = NaturalLanguageGenerator.create(
        read_endpoint_config(str(ROOT / "endpoints.yml"), "nlg"), domain
    )
    tracker = proven_customer(domain)
    run(RemoteAction("action_order_status", action_server), domain, tracker, nlg)
    run(ActionBotResponse("utter_anything_else"), domain, tracker, nlg)
    selected = {"faq": {"response": {"utter_action": "utter_faq/payment_methods"}}}
    for event in customer_says("can I pay by card?", "faq", response_selector=selected):
        tracker.update(event)
    run(ActionRetrieveResponse("utter_faq"), domain, tracker, nlg)
    run(RemoteAction("action_default_fallback", action_server), domain, tracker, nlg)
    install_action_failure_reply()  # the channels' apology for an action that can't be run
    down = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")  # nobody listens
    run(RemoteAction("action_list_orders", down), domain, tracker, nlg)

    store = BoundedSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "trackers.db"))
    asyncio.run(store.save(tracker))
    stored = asyncio.run(store.retrieve(SENDER))
    messages = [e for e in stored.events if isinstance(e, BotUttered)]
    assert [authorship(e) for e in messages] == [
        (MODEL, "rephrase", "passed", None),  # the model's rephrasing, checked
        ("template", "greeting", "none", None),  # a response Rasa says by itself
        ("template", "answer", "none", None),  # the ResponseSelector's curated answer
        ("template", "fallback", "none", None),  # a response a custom action sent
        ("template", "error", "none", None),  # the action server could not be reached
    ]
    assert messages[0].text.startswith("Your order #100234")
    assert messages[3].metadata["utter_action"] == "utter_default"
    assert messages[4].text == UNAVAILABLE


def test_an_agents_reply_in_a_takeover_is_a_persons():
    reply = BotUttered._from_parameters(_bot("Hello, I'm Sam.", "sam", "person"))
    assert reply.metadata == {
        "generated_by": "person",
        "role": "handoff",
        "check": "none",
        "agent": "sam",
    }
    joined = _bot("Sam from our customer service team has joined the chat.", "sam", "template")
    assert joined["metadata"]["generated_by"] == "template"
