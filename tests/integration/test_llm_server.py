"""The OpenAI-compatible backend against a real llama.cpp server.

The server is started as `make llm-server` starts it (scripts/llm-server.sh: its own
environment, the embedded backend's GGUF) on a free port. A policy question goes through the
knowledge action with SHOPASSIST_GENERATOR=openai; whatever the small model says, the checker
judges it and the message records what wrote it. Then the server hangs, then stops: the
customer gets the help page's words within the timeout each time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
import requests

from actions.knowledge import ActionAnswerQuestion
from shopassist.cluster import free_port, wait_until_up
from shopassist.generation import get_generator, openai_compatible
from shopassist.generation.embedded import model_file
from tests.actions_kit import make_tracker, run
from tests.servers import ROOT

pytestmark = pytest.mark.integration

QUESTION = "can i pay with apple pay?"
# A short answer is enough to judge, and keeps the test quick on a shared CPU.
MAX_TOKENS = 48


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("llm-server") / "llm-server.log"
    env = {**os.environ, "SHOPASSIST_LLM_SERVER_PORT": str(port), "SHOPASSIST_LLM_THREADS": "1"}
    env.pop("SHOPASSIST_LLM_MODEL", None)  # the server's own default name: the GGUF file's
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "llm-server.sh")],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        # The first run on a machine builds the server's environment (seconds with pip's
        # wheel cache, which the project's environment filled).
        wait_until_up(f"{url}/models", process, log, seconds=300)
        yield {"url": url, "process": process}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)  # in case a test left it stopped
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture()
def ask(llm_server, use_db, monkeypatch):
    """ask(timeout) -> (the knowledge action's message, seconds it took), the assistant's
    generator being the server's model."""
    # The endpoint first: settings refuse the openai generator without a URL and a model
    # (and model_file() reads the settings).
    model_name = model_file().name
    monkeypatch.setenv("SHOPASSIST_LLM_URL", llm_server["url"])
    monkeypatch.setenv("SHOPASSIST_LLM_MODEL", model_name)
    monkeypatch.setenv("SHOPASSIST_GENERATOR", "openai")
    monkeypatch.delenv("SHOPASSIST_LLM_API_KEY", raising=False)
    monkeypatch.setattr(openai_compatible, "MAX_NEW_TOKENS", MAX_TOKENS)
    get_generator.cache_clear()

    def _ask(timeout: float):
        monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", str(timeout))
        started = time.monotonic()
        (message,) = run(ActionAnswerQuestion(), make_tracker(intent="faq", text=QUESTION)).messages
        return message, time.monotonic() - started

    yield _ask
    get_generator.cache_clear()  # the next test gets the backend its own settings choose


def test_the_server_serves_the_embedded_backends_model(llm_server):
    models = requests.get(f"{llm_server['url']}/models", timeout=5).json()
    assert [m["id"] for m in models["data"]] == [model_file().name]


def test_the_servers_answer_is_judged_by_the_checker(ask):
    message, _ = ask(timeout=30)  # generous: only the hang and stop below are timed
    name = model_file().name
    # "none" would mean no text came back; either verdict means the server answered.
    assert message["check"] in {"passed", "failed"}, message
    if message["check"] == "passed":
        assert message["answered_by"] == "openai" and message["generated_by"] == name
        assert message["role"] == "answer"
    else:  # refused: the help page's words went out, naming the model they replaced
        assert message["answered_by"] == "passage" and message["generated_by"] == "template"
        assert message["rejected"] == name and "Apple Pay" in message["text"]


def test_a_hung_server_costs_the_timeout_and_no_more(llm_server, ask):
    llm_server["process"].send_signal(signal.SIGSTOP)  # accepts connections, never answers
    try:
        message, seconds = ask(timeout=1.5)
    finally:
        llm_server["process"].send_signal(signal.SIGCONT)
    assert seconds < 1.5 + 1.0, seconds
    assert (message["answered_by"], message["generated_by"], message["check"]) == (
        "passage",
        "template",
        "none",
    )
    assert "Apple Pay" in message["text"]
    time.sleep(1.0)  # the abandoned request times out in its worker and frees its slot


def test_a_stopped_server_degrades_to_the_help_page_at_once(llm_server, ask):
    process = llm_server["process"]
    process.terminate()
    process.wait(timeout=30)
    message, seconds = ask(timeout=3)
    assert seconds < 1.0, seconds  # connection refused: nothing to wait for
    assert (message["answered_by"], message["generated_by"], message["check"]) == (
        "passage",
        "template",
        "none",
    )
    assert "Apple Pay" in message["text"]
