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


def test_copy_drafts_are_checked_against_each_products_facts_and_reported():
    from bench import copy
    from shopassist.generation.product_copy import template_copy

    products = copy.sample_facts(2)
    faithful = template_copy(products[0]["facts"])
    invented = f"The {products[1]['facts'].name} costs $5.00, now 20% off with free delivery."
    replies = iter([faithful, invented])
    with FakeLLM(lambda messages: next(replies)) as fake:
        result = copy.run_model("copy, fake, endpoint", "fake", fake.url, products, threads=1)
        (first, _) = fake.requests
    # The model reads the product's facts, as the console's page sends them.
    assert first["body"]["messages"][-1]["content"].startswith(
        f"Product: {products[0]['facts'].name}."
    )
    copy.summarise(result, console_timeout=4.0)
    assert [r["draft"] for r in result["rows"]] == [faithful, invented]
    assert result["passed"] == 1 and result["rows"][0]["problems"] == []
    assert result["flag_kinds"]["unsupported"] == 1
    assert result["flag_kinds"]["offer not in the facts"] == 1
    assert result["example_passed"]["draft"] == faithful
    assert result["example_flagged"]["draft"] == invented
    assert result["late"] == 0 and result["no_draft"] == 0 and result["p50_s"] is not None

    template = copy.summarise(copy.run_template(products), console_timeout=4.0)
    section = copy.render(
        {
            "command": "python -m bench.copy",
            "measured_at": "2026-12-08 02:40 UTC",
            "load_avg": 1.0,
            "load_avg_end": 1.5,
            "products": 2,
            "sample_seed": copy.SAMPLE_SEED,
            "max_tokens": 120,
            "threads": 1,
            "timeout_s": 30.0,
            "console_timeout_s": 4.0,
            "writers": [template, result],
        },
        {"cpu": "test CPU", "cores": 2},
    )
    assert "| template | 2/2 | none |" in section
    assert "| copy, fake, endpoint | 1/2 | unsupported (1), offer not in the facts (1) |" in section
    assert f'"{invented}" Flagged: ' in section and "load average 1.0" in section


def test_the_copy_sample_is_the_same_products_on_every_run():
    from bench import copy

    first, again = copy.sample_facts(), copy.sample_facts()
    assert [p["sku"] for p in first] == [p["sku"] for p in again]
    assert len({p["sku"] for p in first}) == copy.SAMPLE
