"""The serving benchmark's load level, end to end: locust, in its own environment (built by
scripts/setup-bench-load.sh the first time, about a minute), plays scripted conversations
against a small HTTP server that answers as Rasa's REST channel does, and the level's
figures read back from locust's statistics count what the server did: every turn, the
errors, the empty and the apology replies, a fresh sender per conversation."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.serving import load
from bench.serving.plan import UNAVAILABLE_MARK, Settings

pytestmark = pytest.mark.integration

SCRIPT = ["hi", "empty", "sorry", "fail", "bye"]  # per conversation: 4 answered, 1 error


class Channel(BaseHTTPRequestHandler):
    """/webhooks/rest/webhook: "empty" gets no message, "sorry" the guard's apology, "fail"
    HTTP 503, anything else one message."""

    senders: set = set()
    turns = 0

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Channel.senders.add(body["sender"])
        Channel.turns += 1
        text = body["message"]
        replies = {"empty": [], "sorry": [{"text": f"We are {UNAVAILABLE_MARK}."}]}
        data = json.dumps(replies.get(text, [{"text": f"ok: {text}"}])).encode()
        self.send_response(503 if text == "fail" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture()
def channel():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Channel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_level_counts_what_the_server_answered(channel, tmp_path):
    plan = load.write_plan(tmp_path / "plan.json", [SCRIPT], timeout=5.0)

    level = load.run_level(
        channel, plan, 2, Settings.of(True), {}, tmp_path / "level", seconds=3.0, ramp=1.0
    )

    conversations = level["conversations_started"]
    # a fresh sender per conversation; a user stopped at the window's end may have counted
    # its next conversation before its first message went out (one per user at most)
    assert conversations >= 4 and len(Channel.senders) >= conversations - 2
    assert 2.0 <= level["seconds"] <= 6.0
    assert level["turns_per_s"] == pytest.approx(level["turns"] / level["seconds"], rel=0.01)
    # each conversation: one 503 (an error), one empty and one apology reply (both answered);
    # the conversations cut by the start and the end of the window count in part
    assert level["error_examples"] == ["HTTP 503"]
    assert abs(level["errors"] - conversations) <= 2
    assert abs(level["empty_replies"] - conversations) <= 2
    assert abs(level["unavailable_replies"] - conversations) <= 2
    assert abs(level["turns"] - 4 * conversations) <= 8
    assert level["turns"] + level["errors"] <= Channel.turns
    assert set(level["p50_ms_by_turn"]) == {"1", "2", "3", "4", "5"}
    assert 0 < level["p50_ms"] <= level["p95_ms"] <= level["p99_ms"] <= level["max_ms"] + 1
    assert level["cores_busy"]["client"] > 0
