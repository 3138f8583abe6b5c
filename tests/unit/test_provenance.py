"""What wrote a message: the keys every bot message carries, and the roles of the responses."""

from pathlib import Path

import pytest
import yaml

from shopassist.generation import provenance
from shopassist.generation.base import Reply
from shopassist.generation.knowledge_answers import KnowledgeReply
from shopassist.generation.openai_compatible import OpenAICompatibleGenerator

DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text())


def test_every_response_of_the_domain_has_a_role_and_every_listed_one_exists():
    responses = {name.split("/")[0] for name in DOMAIN["responses"]}
    listed = {n for names in provenance.RESPONSE_ROLES.values() for n in names.split()}
    assert responses - listed == set(), "add them to provenance.RESPONSE_ROLES"
    assert listed - responses == set(), "no longer in domain.yml"
    assert set(provenance.RESPONSE_ROLES) <= set(provenance.ROLES)


def test_a_retrieval_response_has_the_role_of_its_intent():
    assert provenance.response_role("utter_faq/return_policy") == "answer"
    assert provenance.response_role("utter_chitchat/ask_name") == "greeting"
    assert provenance.response_role("utter_ask_email") == "form"


def test_the_shops_own_words():
    assert provenance.template("order") == {
        "generated_by": "template",
        "role": "order",
        "check": "none",
    }


@pytest.mark.parametrize("kind", [Reply, KnowledgeReply])
def test_a_reply_a_model_may_have_written(kind):
    def reply(check, model):
        if kind is Reply:
            return Reply("text", "x", check, model)
        return KnowledgeReply("text", "x", 0.9, (), (), check, model)

    sent = provenance.of_reply(reply("passed", "qwen2.5-0.5b.gguf"), "order")
    assert sent == {"generated_by": "qwen2.5-0.5b.gguf", "role": kind.model_role, "check": "passed"}
    refused = provenance.of_reply(reply("failed", "qwen2.5-0.5b.gguf"), "order")
    assert refused == {
        "generated_by": "template",
        "role": "order",
        "check": "failed",
        "rejected": "qwen2.5-0.5b.gguf",
    }
    assert provenance.of_reply(reply("none", ""), "order") == provenance.template("order")
    assert {Reply.model_role, KnowledgeReply.model_role} <= set(provenance.ROLES)


def test_a_backend_is_named_by_its_model():
    backend = OpenAICompatibleGenerator(url="http://127.0.0.1:1/v1", model="shop-model-7b")
    assert provenance.model_name(backend) == "shop-model-7b"

    class Nameless:
        name = "scripted"

    assert provenance.model_name(Nameless()) == "scripted"


def test_an_opening_a_model_wrote_before_the_shops_words():
    from shopassist.generation.base import Line

    shop = provenance.template("order")
    sent, refused = Line("Sorry.", "passed", "m8b", "tone"), Line("Sorry.", "failed", "m8b", "tone")
    assert provenance.with_opening(shop, Line("Sorry.")) == shop  # the template's opening
    assert provenance.with_opening(shop, sent) == {
        "generated_by": "m8b",
        "role": "tone",
        "check": "passed",
    }
    assert provenance.with_opening(shop, refused) == {**shop, "check": "failed", "rejected": "m8b"}
    # The rest a model's too: that model stays the author, the opening's beside it.
    rephrased = {"generated_by": "q05b", "role": "rephrase", "check": "passed"}
    assert provenance.with_opening(rephrased, refused) == {
        **rephrased,
        "opening_by": "m8b",
        "opening_check": "failed",
    }
    assert {"tone", "summary"} <= set(provenance.ROLES)
