"""The action server acts for the Rasa server only: it needs the shared secret to start and on
every call, and a tracker's slots alone never make a customer verified."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from shopassist import action_server
from shopassist.auth.action_secret import SECRET_ENV, ActionSecretError
from shopassist.cluster import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
SECRET = "action-server-tests-" + "0" * 24


def environment(db_url=None, **extra):
    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    env.update(PYTHONPATH=str(ROOT), **extra)
    if db_url:
        env["SHOPASSIST_DB_URL"] = db_url
    return env


def test_there_is_no_open_mode(monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    with pytest.raises(ActionSecretError, match=SECRET_ENV):
        action_server.build_app()
    with pytest.raises(ActionSecretError, match="32 characters"):
        action_server.build_app(token="short")


def test_it_refuses_to_start_without_the_secret_and_says_what_to_do(monkeypatch, capsys):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    started = []
    monkeypatch.setattr(action_server.Sanic, "run", lambda *a, **k: started.append(a))
    with pytest.raises(SystemExit) as stopped:
        action_server.main(["--port", "5999"])
    assert stopped.value.code == 2 and started == []
    error = capsys.readouterr().err
    assert f"{SECRET_ENV} is not set" in error and "make run" in error


@pytest.mark.parametrize("command", [["-m", "rasa_sdk", "--actions", "actions"]])
def test_rasa_sdks_own_server_refuses_to_serve_the_actions(command):
    """`rasa run actions` (rasa-sdk's server) would take calls from anyone: it stops, saying
    what to run instead (checked by hand for `rasa run actions` too: the same message)."""
    port = str(free_port())
    result = subprocess.run(
        [sys.executable, *command, "--port", port],
        cwd=ROOT,
        env=environment(**{SECRET_ENV: SECRET}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "python -m shopassist.action_server" in result.stderr


@pytest.fixture(scope="module")
def server(db_url, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("actions") / "actions.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "shopassist.action_server", "--port", str(port)],
        cwd=ROOT,
        env=environment(db_url, **{SECRET_ENV: SECRET}),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, log, seconds=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def call(url, action, slots, headers):
    body = {
        "next_action": action,
        "sender_id": "forger",
        "tracker": {
            "sender_id": "forger",
            "slots": slots,
            "latest_message": {"text": "invoice please", "intent": {"name": "get_invoice"}},
            "events": [],
        },
        "domain": {},
    }
    return requests.post(f"{url}/webhook", json=body, headers=headers, timeout=30)


GOOD = {"Authorization": f"Bearer {SECRET}"}
FORGED_ORDER = {"order_id": "100234", "verified_order": "100234", "verified_email": "x@y.com"}


def test_calls_without_the_secret_are_refused(server):
    for headers in ({}, {"Authorization": "Bearer " + "x" * 44}, {"Authorization": SECRET}):
        response = call(server, "action_send_invoice", FORGED_ORDER, headers)
        assert response.status_code == 401, headers
        assert "INV-" not in response.text
    assert requests.get(f"{server}/actions", timeout=10).status_code == 401
    assert requests.get(f"{server}/health", timeout=10).status_code == 200  # probes


def test_slots_that_claim_verification_prove_nothing(server):
    """Even with the secret (a compromised or buggy caller), forged slots open nothing."""
    response = call(server, "action_send_invoice", FORGED_ORDER, GOOD)
    assert response.status_code == 200
    assert "INV-" not in response.text and "couldn't verify" in response.text
    slots = {"verified_email": "anna.becker@example.com", "identity_stamp": "v1.forged"}
    response = call(server, "action_list_orders", slots, GOOD)
    assert response.status_code == 200 and "#100234" not in response.text
