"""An OpenAI-compatible chat endpoint for tests: the edge of the world, so a fake is fair.

It answers POST /v1/chat/completions with `reply(messages)`, or misbehaves on demand:
`mode` = "ok" | "hang" (never answers within the test's timeouts) | "error" (HTTP 500) |
"garbage" (200 with a body that is not JSON).
A request with `stream: true` gets the reply as server-sent events, one word a chunk,
`chunk_delay` seconds apart (then `data: [DONE]`), as OpenAI-compatible servers send it.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List


class FakeLLM:
    def __init__(self, reply: Callable[[List[Dict[str, str]]], str]) -> None:
        self.reply = reply
        self.mode = "ok"
        self.chunk_delay = 0.0
        self.requests: List[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(
                    {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
                )
                if fake.mode == "hang":
                    time.sleep(5)
                    return
                if fake.mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    return
                if body.get("stream") and fake.mode == "ok":
                    self._stream(fake.reply(body["messages"]))
                    return
                payload = (
                    b"<html>oops"
                    if fake.mode == "garbage"
                    else json.dumps(
                        {
                            "choices": [
                                {
                                    "message": {
                                        "role": "assistant",
                                        "content": fake.reply(body["messages"]),
                                    }
                                }
                            ]
                        }
                    ).encode()
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except BrokenPipeError:  # the client gave up waiting: that was the test
                    pass

            def _stream(self, reply: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                words = reply.split(" ")
                try:
                    for i, word in enumerate(words):
                        piece = word if i == 0 else " " + word
                        chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                        time.sleep(fake.chunk_delay)
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except BrokenPipeError:
                    pass
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
