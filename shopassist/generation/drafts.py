"""The web chat's draft: a model's answer shown while it is written, then replaced.

An action cannot stream through Rasa's reply, so while a streaming backend (openai with
`stream: true`, embedded llama.cpp) writes a knowledge answer, the action server posts the
text so far to the socket.io channel's draft route (/webhooks/socketio/draft, which emits
`bot_draft` to that conversation's room and stores nothing). The checked reply, sent by
Rasa as usual, carries the same `stream_id` and takes the draft's place in the chat: the
model's text if it passed the check, the template's if not, so a refused draft disappears.

Only for socket.io conversations and a streaming backend (REST and `rasa shell` get the
whole checked reply, as before). Drafts are throttled (one post every `INTERVAL_S` at
most, the newest text), never longer than a checked answer may be
(grounding.MAX_ANSWER_CHARS), posted from a thread of their own so the model never waits
for them, and stop at the first failure: a draft route that is down, slow or refusing never
changes or delays the reply.

    SHOPASSIST_STREAM_DRAFTS   "0" turns drafts off (default on)
    SHOPASSIST_DRAFT_URL       the Rasa server's base URL as the action server reaches it
                               (default: SHOPASSIST_RASA_URL, else http://localhost:5005)
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Callable, Optional

import requests

from shopassist.auth import draft_token
from shopassist.generation.grounding import MAX_ANSWER_CHARS
from shopassist.settings import get_settings

logger = logging.getLogger(__name__)

CHANNEL = "socketio"
ROUTE = "/webhooks/socketio/draft"
INTERVAL_S = 0.15
POST_TIMEOUT_S = (0.5, 1.0)  # connect, read: a draft late by more is worthless

Post = Callable[[dict], None]  # posts one draft body; raises on failure


def streams(generator) -> bool:
    """Whether the backend can hand over its text as it writes (and writes the reply)."""
    return callable(getattr(generator, "stream", None)) and not getattr(generator, "role", "")


def enabled() -> bool:
    return get_settings().stream_drafts


def rasa_url() -> str:
    return get_settings().draft_target


def http_post(conversation: str, url: Optional[str] = None, secret: Optional[str] = None) -> Post:
    """Posts drafts of `conversation` to the channel's route, with a fresh JWT each time."""
    session = requests.Session()
    target = (url or rasa_url()) + ROUTE
    key = secret if secret is not None else get_settings().action_token

    def post(body: dict) -> None:
        headers = draft_token.authorization(key, conversation)
        response = session.post(target, json=body, headers=headers, timeout=POST_TIMEOUT_S)
        response.raise_for_status()

    return post


class Drafts:
    """Forwards a generator's text so far (`__call__`, from its thread) as throttled drafts;
    `close` when the reply is decided: nothing is posted after it."""

    def __init__(
        self,
        conversation: str,
        post: Post,
        interval: float = INTERVAL_S,
        max_chars: int = MAX_ANSWER_CHARS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.conversation = conversation
        self.stream_id = uuid.uuid4().hex
        self.post, self.interval, self.max_chars, self.clock = post, interval, max_chars, clock
        self.sent: list = []  # texts posted (tests, benchmarks)
        self.first_post_at: Optional[float] = None
        self._lock = threading.Condition()
        self._pending: Optional[str] = None
        self._last = ""
        self._due = 0.0
        self._closed = self._failed = False
        self._thread = threading.Thread(target=self._run, name="draft", daemon=True)
        self._thread.start()

    def __call__(self, text: str) -> None:
        text = text.strip()[: self.max_chars]
        with self._lock:
            if self._closed or self._failed or not text or text == self._last:
                return
            self._pending = text
            self._lock.notify()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._pending = None
            self._lock.notify()

    def join(self, timeout: float = 2.0) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._closed and (self._pending is None or self.clock() < self._due):
                    wait = None if self._pending is None else max(0.0, self._due - self.clock())
                    self._lock.wait(wait)
                if self._closed:
                    return
                text, self._pending = self._pending, None
                self._last = text
                self._due = self.clock() + self.interval
            try:
                self.post(
                    {"conversation": self.conversation, "stream_id": self.stream_id, "text": text}
                )
            except Exception as error:  # never the reply's problem: stop drafting
                logger.warning("draft not shown, drafts stopped for this reply: %s", error)
                with self._lock:
                    self._failed = True
                return
            if self.first_post_at is None:
                self.first_post_at = time.monotonic()
            self.sent.append(text)


def start(channel: Optional[str], conversation: str, generator, post: Optional[Post] = None):
    """Drafts for this reply, or None where the chat can't show them (not socket.io, a
    backend that doesn't stream, drafts turned off, no secret to prove them with)."""
    if channel != CHANNEL or not conversation or not enabled() or not streams(generator):
        return None
    if post is None:
        if not get_settings().action_token:
            return None
        post = http_post(conversation)
    return Drafts(conversation, post)
