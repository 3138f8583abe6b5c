"""Starts the real action server and Rasa server, once for all integration tests."""

from __future__ import annotations

import pytest
import requests

from tests.servers import assistant_servers, base_env, current_model


@pytest.fixture(scope="session")
def agent():
    """The current model, loaded in-process for parsing (no servers)."""
    from rasa.core.agent import Agent

    return Agent.load(str(current_model()))


@pytest.fixture(scope="session")
def db_url(tmp_path_factory):
    """Conversations run once, on the embedded SQLite engine (the store tests cover both)."""
    from tests.conftest import seeded_sqlite

    return seeded_sqlite(tmp_path_factory)


@pytest.fixture(scope="session")
def assistant(db_url, tmp_path_factory):
    """Base URL of a running Rasa server whose actions read the test database."""
    workdir = tmp_path_factory.mktemp("servers")
    with assistant_servers(workdir, base_env(db_url)) as servers:
        yield servers["rasa_url"]


@pytest.fixture()
def chat(assistant):
    """chat(sender, text, metadata=None) -> the assistant's REST messages (text, buttons)."""

    def _chat(sender: str, text: str, metadata=None):
        body = {"sender": sender, "message": text}
        if metadata is not None:
            body["metadata"] = metadata
        response = requests.post(f"{assistant}/webhooks/rest/webhook", json=body, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    return _chat


@pytest.fixture()
def say(chat):
    """say(sender, text, metadata=None) -> the texts the assistant answered over REST."""

    def _say(sender: str, text: str, metadata=None):
        return [m.get("text", "") for m in chat(sender, text, metadata)]

    return _say
