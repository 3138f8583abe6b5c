"""Every customer turn of the test stories is understood as the story says.

`rasa test core` (make test-stories) replays the stories with the intents and entities
written in them: it checks the dialogue, not the NLU. `--e2e` would parse the texts, but it
also demands every predicted entity be annotated, including the sentiment that
shopassist.nlu.sentiment adds to every message, so it cannot pass. This test parses each
turn with the trained model instead and compares what matters: the intent, the annotated
entities, and no unannotated order number, e-mail or rating (those steer the dialogue).
Button payloads ("/rate{...}") skip the NLU and are not checked here.
"""

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.entities_parser import parse_training_example

pytestmark = pytest.mark.integration

STORY_FILES = sorted((Path(__file__).parents[1]).glob("test_stories*.yml"))
STEERING_ENTITIES = {"order_id", "email", "rating"}
# Turns the current model misreads, kept in the stories because customers write them:
# expected failures until the NLU data (issue 4) fixes them. Not strict: a model that reads
# one right shows it as XPASS, and it should then be taken off this list.
KNOWN_MISREADINGS = {
    "nvm, the old one is fine, forget it": "read as inform",
    "all of them please": "inform below 0.5 (the two-stage fallback asks)",
    # The answer-before-asking stories (issue "understanding on customers' own words"):
    "how do you say good night in italian": "out_of_scope below the fallback threshold",
    # Since the five-language model (issue "customers in their own language"): the
    # exchanges answer ("return it and order the other size") is given instead.
    "can i get a different size on order 100234?": "read as faq",
    # Since "anything else?" follows only a finished request: six affirm examples of this
    # kind ("yes, there's one more thing") fixed it but cost the quantity in "drop one
    # thing from order 100236", so the data was left as it was.
    "yes, one more thing": "read as chitchat",
    # Since the examples added in German, French, Spanish and Chinese (more.yml):
    "box came, stuff inside not right maybe": "read as order_status, not left to the fallback",
    # DIET cuts the French relative date into three dates ("le", "il y a", "trois semaines").
    "J'ai renvoyé le colis il y a trois semaines et je n'ai toujours pas été remboursée "
    "pour #100401.": "the date split in three",
    # The Spanish shoes are a product in one training and a category in the next.
    "los zapatos": "read as category or product, by training",
    # The pattern takes "#100402", DIET also the digits alone: the same order, twice.
    "#100402送到了没有？": "the order number found twice (with and without '#')",
}


def customer_turns():
    for path in STORY_FILES:
        for story in yaml.safe_load(path.read_text())["stories"]:
            for index, step in enumerate(s for s in story["steps"] if "user" in s):
                text = step["user"].strip()
                if not text.startswith("/"):
                    plain = parse_training_example(text).get("text")
                    marks = (
                        [pytest.mark.xfail(reason=KNOWN_MISREADINGS[plain], strict=False)]
                        if plain in KNOWN_MISREADINGS
                        else []
                    )
                    yield pytest.param(
                        text,
                        step["intent"],
                        id=f"{path.stem}: {story['story']} #{index + 1}",
                        marks=marks,
                    )


def spans(text, entities):
    return {
        (e["entity"], text[e["start"] : e["end"]]) for e in entities if e["entity"] != "sentiment"
    }


@pytest.mark.parametrize("annotated, intent", list(customer_turns()))
def test_the_turn_is_understood_as_written(agent, annotated, intent):
    example = parse_training_example(annotated)
    text = example.get("text")
    parsed = asyncio.run(agent.parse_message(text))
    predicted = parsed["intent"]["name"]
    if "/" in intent:  # a retrieval intent's answer: faq/returns
        predicted = parsed["response_selector"]["default"]["response"]["intent_response_key"]
    assert predicted == intent, f"{text!r} understood as {predicted}"
    gold = spans(text, example.get("entities") or [])
    found = spans(text, parsed["entities"])
    assert gold <= found, f"{text!r}: entities missed: {sorted(gold - found)}"
    unexpected = {(kind, value) for kind, value in found - gold if kind in STEERING_ENTITIES}
    assert not unexpected, f"{text!r}: entities not in the story: {sorted(unexpected)}"
