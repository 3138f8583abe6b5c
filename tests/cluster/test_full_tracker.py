"""A conversation longer than the tracker store's bound is whole wherever it is read in
full: Rasa's HTTP API (`/conversations/{id}/tracker`) and `rasa export` into RabbitMQ.
(Turns load only the recent events; that is the bounded store's job, not a loss.)"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from shopassist.tracker_store import DEFAULT_MAX_EVENTS
from tests.cluster.conftest import _delete_queue, queued_events, send, user_texts

ROOT = Path(__file__).resolve().parents[2]
TURNS = 45  # each turn stores 4-6 events: well past DEFAULT_MAX_EVENTS (200)


def _stored_events(cluster, sender: str) -> int:
    engine = create_engine(cluster.tracker_db, future=True)
    try:
        with engine.connect() as connection:
            query = "SELECT count(*) FROM events WHERE sender_id = :s"
            return connection.execute(text(query), {"s": "rest:" + sender}).scalar_one()
    finally:
        engine.dispose()


def said_once(texts):
    """Messages with a repeat right after itself dropped: when Rasa's two-stage fallback takes
    a message as the rephrase of an unclear one ("hello there (8)" reads as unsure between
    greet and inform), it stores it again after itself. This test's messages are distinct."""
    return [t for i, t in enumerate(texts) if i == 0 or t != texts[i - 1]]


def test_a_long_conversation_is_whole_in_the_api_and_in_rasa_export(cluster, tmp_path):
    sender = f"long-{uuid.uuid4().hex[:10]}"
    texts = [f"hello there ({i})" for i in range(TURNS)]
    for message in texts:
        assert send(cluster, sender, message)
    stored = _stored_events(cluster, sender)
    assert stored > DEFAULT_MAX_EVENTS
    assert said_once(user_texts(cluster, sender)) == texts

    response = requests.get(
        f"{cluster.url}/conversations/rest:{sender}/tracker",  # REST's stored id
        params={"token": cluster.rasa_token, "include_events": "ALL"},
        timeout=60,
    )
    assert response.status_code == 200, response.text[:300]
    events = response.json()["events"]
    assert said_once([e["text"] for e in events if e["event"] == "user"]) == texts
    assert len(events) == stored

    # rasa export reads the same store through the same class and sends every event.
    queue = f"shopassist_export_{uuid.uuid4().hex[:8]}"
    endpoints = tmp_path / "endpoints.yml"
    env = {**cluster.environment(), "SHOPASSIST_ACTION_URL": "http://127.0.0.1:9/webhook"}
    # (rasa export reads the endpoints file whole, but calls no action)
    endpoints.write_text(
        (ROOT / "deploy" / "endpoints.production.yml")
        .read_text()
        .replace("${SHOPASSIST_EVENT_QUEUE}", queue)
    )
    try:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "rasa"), "export", "--endpoints", str(endpoints),
             "--conversation-ids", "rest:" + sender],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        # Published asynchronously: give the broker a moment to count them all.
        deadline = time.monotonic() + 30
        while queued_events(queue) < stored and time.monotonic() < deadline:
            time.sleep(0.5)
        assert queued_events(queue) == stored, json.dumps(result.stdout[-500:])
    finally:
        _delete_queue(queue)
