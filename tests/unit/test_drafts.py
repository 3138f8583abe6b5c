"""The web chat's draft of a streamed answer: the chunks forwarded, throttled, capped, never
after the reply is decided, and never at the reply's cost."""

from __future__ import annotations

import threading
import time

import pytest

from shopassist.generation import drafts
from shopassist.generation.base import GenerationRequest
from shopassist.generation.grounding import MAX_ANSWER_CHARS
from shopassist.generation.knowledge_answers import answer_question
from shopassist.generation.openai_compatible import OpenAICompatibleGenerator
from tests.fake_llm import FakeLLM
from tests.unit.test_openai_backend import PAGE, QUESTION, index  # noqa: F401 (fixture)

ANSWER = "You have 30 days from delivery to return an item."


class Recorder:
    def __init__(self, fail: bool = False, delay: float = 0.0) -> None:
        self.bodies: list = []
        self.fail, self.delay = fail, delay
        self.tried = threading.Event()  # set by the first post

    def __call__(self, body: dict) -> None:
        time.sleep(self.delay)
        self.bodies.append(body)
        self.tried.set()
        if self.fail:
            raise ConnectionError("draft route down")


@pytest.fixture()
def llm(monkeypatch):
    with FakeLLM(lambda messages: ANSWER) as fake:
        monkeypatch.setenv("SHOPASSIST_LLM_URL", fake.url)
        monkeypatch.setenv("SHOPASSIST_LLM_MODEL", "shop-model")
        monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "2")
        yield fake


def test_the_openai_backend_streams_the_text_so_far_and_returns_the_whole(llm):
    seen: list = []
    request = GenerationRequest(task="knowledge", template="t", question="q", passages=("p",))
    text = OpenAICompatibleGenerator().stream(request, seen.append)
    assert text == ANSWER
    assert llm.requests[-1]["body"]["stream"] is True
    assert seen[0] == "You" and seen[-1] == ANSWER
    assert all(later.startswith(earlier) for earlier, later in zip(seen, seen[1:]))
    # `generate` does not ask for a stream.
    assert OpenAICompatibleGenerator().generate(request) == ANSWER
    assert "stream" not in llm.requests[-1]["body"]


def test_a_streamed_answer_is_forwarded_as_drafts_then_checked_as_usual(index, llm):  # noqa: F811
    llm.chunk_delay = 0.02
    post = Recorder()
    draft = drafts.Drafts("socketio:abc", post, interval=0.05)
    reply = answer_question(QUESTION, index, OpenAICompatibleGenerator(), on_text=draft)
    draft.close()
    draft.join()
    assert reply.source == "openai" and reply.text == ANSWER
    texts = [body["text"] for body in post.bodies]
    assert texts and all(ANSWER.startswith(text) for text in texts)
    # Throttled: ten chunks 20 ms apart, at most one post per 50 ms.
    assert len(texts) < 10
    assert {body["stream_id"] for body in post.bodies} == {draft.stream_id}
    assert {body["conversation"] for body in post.bodies} == {"socketio:abc"}


def test_a_refused_answer_was_drafted_but_the_reply_is_the_passage(index, monkeypatch):  # noqa: F811
    wrong = "You have 90 days from delivery to return an item."
    with FakeLLM(lambda messages: wrong) as fake:
        monkeypatch.setenv("SHOPASSIST_LLM_URL", fake.url)
        monkeypatch.setenv("SHOPASSIST_LLM_MODEL", "shop-model")
        post = Recorder()
        draft = drafts.Drafts("socketio:abc", post, interval=0.0)
        reply = answer_question(QUESTION, index, OpenAICompatibleGenerator(), on_text=draft)
        draft.close()
        draft.join()
    assert reply.source == "passage" and "30 days" in reply.text
    assert post.bodies  # the chat showed a draft, which this reply replaces


def test_the_newest_text_only_and_never_longer_than_an_answer_may_be():
    post = Recorder(delay=0.1)
    draft = drafts.Drafts("c", post, interval=0.0)
    draft("a")
    time.sleep(0.02)  # "a" is being posted: the next ones wait, and only the newest goes
    for n in range(2, 50):
        draft("a" * n)
    draft("x" * (MAX_ANSWER_CHARS + 500))
    time.sleep(0.35)
    draft.close()
    draft.join()
    texts = [body["text"] for body in post.bodies]
    assert texts == ["a", "x" * MAX_ANSWER_CHARS]


def test_nothing_is_posted_after_close():
    post = Recorder()
    draft = drafts.Drafts("c", post, interval=10.0)
    draft("first")
    time.sleep(0.1)
    draft("second")  # throttled: due in 10 s
    draft.close()
    draft.join()
    draft("third")
    time.sleep(0.05)
    assert [body["text"] for body in post.bodies] == ["first"]


def test_a_failing_route_stops_the_drafts_and_costs_the_reply_nothing(index, llm):  # noqa: F811
    post = Recorder(fail=True)
    draft = drafts.Drafts("c", post, interval=0.0)
    reply = answer_question(QUESTION, index, OpenAICompatibleGenerator(), on_text=draft)
    assert reply.text == ANSWER
    # The drafts' own thread may post after the reply is decided: wait for its first try
    # (which fails) rather than racing it, then offer more text.
    assert post.tried.wait(5)
    draft("more text after the failure")
    draft.close()
    draft.join()
    assert len(post.bodies) == 1


def test_a_slow_route_never_holds_the_model_back(index, llm):  # noqa: F811
    post = Recorder(delay=5.0)
    draft = drafts.Drafts("c", post, interval=0.0)
    started = time.monotonic()
    reply = answer_question(QUESTION, index, OpenAICompatibleGenerator(), on_text=draft)
    # Well under the route's 5 s, with room for a loaded machine's retrieval.
    assert time.monotonic() - started < 4.0 and reply.text == ANSWER
    draft.close()


def test_drafts_only_in_the_web_chat_with_a_streaming_backend(llm, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_ACTION_TOKEN", "s" * 40)
    streaming = OpenAICompatibleGenerator()
    post = Recorder()
    for channel in ("rest", "cmdline", None):
        assert drafts.start(channel, "x", streaming, post) is None

    class Template:
        name = "template"

        def generate(self, request):
            return request.template

    class Chooser:
        role = "choose"
        name = "choose:m"

        def stream(self, request, on_text):
            return "1"

    assert drafts.start("socketio", "x", Template(), post) is None
    assert drafts.start("socketio", "x", Chooser(), post) is None
    started = drafts.start("socketio", "socketio:abc", streaming, post)
    assert started is not None and len(started.stream_id) == 32
    started.close()
    monkeypatch.setenv("SHOPASSIST_STREAM_DRAFTS", "0")
    assert drafts.start("socketio", "socketio:abc", streaming, post) is None
    monkeypatch.delenv("SHOPASSIST_STREAM_DRAFTS")
    monkeypatch.delenv("SHOPASSIST_ACTION_TOKEN")
    assert drafts.start("socketio", "socketio:abc", streaming) is None  # nothing to prove it


def test_the_http_post_proves_the_conversation(monkeypatch):
    from shopassist.auth import draft_token

    seen = {}

    class Session:
        def post(self, url, json, headers, timeout):
            seen.update(url=url, json=json, headers=headers)
            return type("R", (), {"raise_for_status": lambda self: None})()

    monkeypatch.setattr(drafts.requests, "Session", Session)
    post = drafts.http_post("socketio:abc", url="http://rasa:5005", secret="k" * 40)
    post({"conversation": "socketio:abc", "stream_id": "0" * 32, "text": "Hi"})
    assert seen["url"] == "http://rasa:5005/webhooks/socketio/draft"
    header = seen["headers"]["Authorization"]
    assert draft_token.verified(header, "k" * 40, "socketio:abc")
    assert not draft_token.verified(header, "k" * 40, "socketio:other")
