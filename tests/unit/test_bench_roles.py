"""The line roles' benchmark loop (bench/roles.py) on an OpenAI-compatible endpoint: each
text checked by its role's own check, timed calls only, one result shape."""

from bench import roles, summary, tone
from tests.fake_llm import FakeLLM

UPSET = [
    {"id": "a", "message": "my parcel is two weeks late, this is ridiculous"},
    {"id": "b", "message": "the blender arrived broken"},
]
CONVERSATION = [
    {"id": "c1", "turns": [{"role": "customer", "text": "where is order 100234"}]},
]


def test_tone_lines_are_each_checked_and_timed():
    replies = iter(["I'm sorry about the wait.", "Sorry, we'll refund you $20 today."])
    with FakeLLM(lambda messages: next(replies)) as fake:
        result = tone.run_model("endpoint, fake", "fake", fake.url, UPSET, threads=1)
    assert [r["opening"] for r in result["rows"]] == [
        "I'm sorry about the wait.",
        "Sorry, we'll refund you $20 today.",
    ]
    assert result["rows"][0]["problems"] == []
    assert result["rows"][1]["problems"]  # an amount and a promise: not sent
    assert result["passed"] == 1
    assert result["p50_s"] is not None and result["backend"] == "endpoint, fake"


def test_summary_lines_are_checked_against_their_conversation():
    with FakeLLM(lambda messages: "Asks where order 999999 is.") as fake:
        result = summary.run_model("endpoint, fake", "fake", fake.url, CONVERSATION, 1)
    assert result["rows"][0]["summary"] == "Asks where order 999999 is."
    assert result["rows"][0]["problems"]  # a number the chat lacks
    assert result["passed"] == 0


def test_a_call_the_writer_did_not_time_adds_no_latency():
    class Silent:
        last_stats = {}

        def generate(self, request):
            return ""

    texts, seconds = roles.timed_texts(Silent(), ["x", "y"])
    assert texts == ["", ""] and seconds == []
    assert roles.line_result("x", 0.0, [], seconds)["p50_s"] is None
