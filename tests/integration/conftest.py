"""Starts the real action server and Rasa server, once for all integration tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOKEN_SECRET = "integration-tests-only-" + "0" * 24  # never used outside these tests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def current_model() -> Path:
    result = subprocess.run(
        [str(ROOT / "scripts" / "current-model.sh")], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail("integration tests need a model for the current data: run 'make train' first")
    return ROOT / result.stdout.strip()


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early; log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {seconds} s; log:\n{log.read_text()[-3000:]}")


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
    model = current_model()
    workdir = tmp_path_factory.mktemp("servers")
    action_port, rasa_port = free_port(), free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n')
    env = {
        **os.environ,
        "SHOPASSIST_DB_URL": db_url,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # Signs the customer tokens of the "logged-in page" tests (tests.integration.TOKEN_SECRET).
        "SHOPASSIST_TOKEN_SECRET": TOKEN_SECRET,
    }
    processes = []
    try:
        action_log = workdir / "actions.log"
        actions = subprocess.Popen(
            [
                str(BIN / "rasa"),
                "run",
                "actions",
                "--actions",
                "actions",
                "--port",
                str(action_port),
            ],
            cwd=ROOT,
            env=env,
            stdout=action_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(actions)
        rasa_log = workdir / "rasa.log"
        rasa = subprocess.Popen(
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(model),
                "--port",
                str(rasa_port),
                "--enable-api",
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(ROOT / "credentials.yml"),
            ],
            cwd=ROOT,
            env=env,
            stdout=rasa_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(rasa)
        wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, action_log)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/status", rasa, rasa_log)
        yield f"http://127.0.0.1:{rasa_port}"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


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
