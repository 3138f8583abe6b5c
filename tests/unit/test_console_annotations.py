"""The annotation inbox over a tracker store Rasa wrote, and annotations written to Rasa YAML
NLU files that Rasa's own loader reads back."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from shopassist.console.annotations import (
    AnnotationError,
    InboxItem,
    annotate,
    domain_labels,
    inbox,
    message_key,
)
from tests.console_kit import (
    DOMAIN_PATH,
    NLU_DIR,
    T0,
    action,
    bot,
    conversation_store,
    session_start,
    user,
)

# ---------------------------------------------------------------------------- the inbox


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return conversation_store(
        tmp_path_factory.mktemp("inbox") / "t.db",
        {
            "a": [
                *session_start(T0),
                user("where is my stuff", "order_status", T0 + 1, 0.95),
                action("action_listen", T0 + 2),
                user("ship it to Berlin", "change_address", T0 + 10.25, 0.5,
                     entities=[("Berlin", "city")], sentiment=("neutral", 0.0)),
                action("action_listen", T0 + 11),
            ],
            "b": [
                *session_start(T0 + 50),
                user("asdf", "nlu_fallback", T0 + 100, 0.7),
                action("action_default_fallback", T0 + 101),
                bot("Sorry, I didn't get that.", T0 + 101),
                user("ok thx", "thank", T0 + 200, 0.59),
                user("cancel it", "cancel_order", T0 + 250, 0.4),
                user('/rate{"rating": 5}', "rate", T0 + 300, 0.1),
                user("<script>alert(1)</script>", "greet", T0 + 400, 0.2),
                action("action_listen", T0 + 401),
            ],
        },
    )  # fmt: skip


FLAGS = {
    ("a", message_key(T0 + 1)): "flagged",  # confident, but a reviewer flagged it
    ("b", message_key(T0 + 200)): "dismissed",
    ("b", message_key(T0 + 250)): "annotated",
}


def test_inbox_low_confidence_fallback_and_flagged_newest_first(store):
    assert inbox(store, FLAGS) == [
        InboxItem("b", str(T0 + 400), "<script>alert(1)</script>", "greet", 0.2, [], False),
        InboxItem("b", str(T0 + 100), "asdf", "nlu_fallback", 0.7, [], False),
        InboxItem(
            "a",
            str(T0 + 10.25),
            "ship it to Berlin",
            "change_address",
            0.5,
            [{"entity": "city", "value": "Berlin", "start": 11, "end": 17}],  # no sentiment
            False,
        ),
        InboxItem("a", str(T0 + 1), "where is my stuff", "order_status", 0.95, [], True),
    ]


def test_inbox_without_flags_and_limit(store):
    items = inbox(store, {})
    assert [item.text for item in items] == [
        "<script>alert(1)</script>",  # a button payload (/rate) is never offered
        "cancel it",
        "ok thx",
        "asdf",
        "ship it to Berlin",
    ]
    assert [item.text for item in inbox(store, {}, limit=2)] == [
        "<script>alert(1)</script>",
        "cancel it",
    ]


def test_message_key_round_trips_the_stored_timestamp(store):
    item = next(i for i in inbox(store, {}) if i.text == "ship it to Berlin")
    assert item.message_at == message_key(T0 + 10.25) == repr(T0 + 10.25)
    assert float(item.message_at) == T0 + 10.25


def test_empty_store(tmp_path):
    assert inbox(conversation_store(tmp_path / "t.db", {}), {("x", "1.0"): "flagged"}) == []


# ----------------------------------------------------------------------- domain labels


@pytest.fixture(scope="module")
def labels():
    return domain_labels(DOMAIN_PATH, NLU_DIR)


def test_domain_labels_of_the_project(labels):
    intents, entities = labels
    assert "order_status" in intents and "thank+goodbye" in intents
    assert "faq" not in intents and "chitchat" not in intents
    assert "faq/return_policy" in intents and "chitchat/ask_name" in intents
    assert "city" in entities and "product" in entities  # one-key dicts in domain.yml
    assert "sentiment" not in entities  # set by a component, never annotated


def test_domain_labels_from_given_files(tmp_path):
    domain = tmp_path / "domain.yml"
    domain.write_text(
        'version: "3.1"\nintents:\n  - greet\n  - faq\n  - ask:\n      use_entities: []\n'
        "entities:\n  - city\n  - size:\n      influence_conversation: false\n"
    )
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    (nlu / "faq.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: faq/returns\n  examples: |\n    - can i return it\n'
        "- intent: faq/hours\n  examples: |\n    - when are you open\n"
        "- intent: greet\n  examples: |\n    - hi\n"
    )
    assert domain_labels(domain, nlu) == (["greet", "ask", "faq/hours", "faq/returns"],
                                          ["city", "size"])  # fmt: skip


# ------------------------------------------------------------------------- annotating


def examples(path):
    """(text, full intent, entities) of every example, as `rasa train` will read them."""
    data = load_data(str(path))
    return [
        (m.get("text"), m.get_full_intent(), m.get("entities") or [])
        for m in data.training_examples
    ]


def test_example_with_an_entity_creates_the_file(tmp_path, labels):
    path = tmp_path / "nlu" / "reviewed.yml"
    saved = annotate(path, "ship it to Berlin", "change_address",
                     "ship it to [Berlin](city)", *labels)  # fmt: skip
    berlin = {"start": 11, "end": 17, "value": "Berlin", "entity": "city"}
    assert saved == {"text": "ship it to Berlin", "intent": "change_address",
                     "entities": [berlin]}  # fmt: skip
    assert path.read_text().startswith('version: "3.1"\n')
    assert "- ship it to [Berlin](city)" in path.read_text()
    assert examples(path) == [("ship it to Berlin", "change_address", [berlin])]
    assert [p.name for p in path.parent.iterdir()] == ["reviewed.yml"]  # no temp files left


def test_retrieval_intent_keeps_its_response_key(tmp_path, labels):
    path = tmp_path / "reviewed.yml"
    annotate(path, "can i send it back", "faq/return_policy", None, *labels)
    assert "- intent: faq/return_policy\n" in path.read_text()
    message = load_data(str(path)).training_examples[0]
    # Rasa splits it: `intent` is the base, `intent_response_key` the full name.
    assert message.get("intent") == "faq"
    assert message.get("intent_response_key") == "faq/return_policy"
    assert examples(path) == [("can i send it back", "faq/return_policy", [])]


def test_html_is_kept_as_literal_text(tmp_path, labels):
    path = tmp_path / "reviewed.yml"
    text = "<script>alert(\"hi\")</script> & <b>'bold'</b> #1: {x}"
    annotate(path, text, "out_of_scope", "", *labels)
    assert examples(path) == [(text, "out_of_scope", [])]


def test_same_text_again_replaces_the_example(tmp_path, labels):
    path = tmp_path / "reviewed.yml"
    annotate(path, "i need a medium", "inform", None, *labels)
    annotate(path, "something else", "greet", None, *labels)
    annotate(path, "i need a medium", "change_order", "i need a [medium](size)", *labels)
    assert sorted(examples(path)) == [
        ("i need a medium", "change_order",
         [{"start": 9, "end": 15, "value": "medium", "entity": "size"}]),
        ("something else", "greet", []),
    ]  # fmt: skip


def test_other_content_of_the_file_is_kept(tmp_path, labels):
    path = tmp_path / "reviewed.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello there\n'
        "    - hi from [Paris](city)\n"
        "- synonym: Paris\n  examples: |\n    - paname\n"
        "- regex: order_id\n  examples: |\n    - \\d{6}\n"
    )
    annotate(path, "bye now", "goodbye", None, *labels)
    data = load_data(str(path))
    assert sorted(m.get("text") for m in data.training_examples) == [
        "bye now", "hello there", "hi from Paris",
    ]  # fmt: skip
    assert data.entity_synonyms == {"paname": "Paris"}
    assert data.regex_features == [{"name": "order_id", "pattern": "\\d{6}"}]


@pytest.mark.parametrize(
    "text, intent, markup, complaint",
    [
        ("hello", "no_such_intent", None, "'no_such_intent' is not an intent"),
        ("hello", "faq", None, "'faq' is not an intent"),  # needs its response key
        ("ship it to Berlin", "change_address", "ship it to [Berlin](town)", "town"),
        ("ship it to Berlin", "change_address", "ship it to [Paris](city)", "differs"),
        ("ship it to Berlin", "change_address", "ship it to [Berlin](city) now", "differs"),
        ("ship it to Berlin", "change_address", 'ship it to [Berlin]{"entity": city}',
         "not valid"),
        ("hi from [Berlin](city)", "greet", None, "entity markup"),
        ("", "greet", None, "empty"),
        ("   ", "greet", None, "empty"),
        ("a" * 501, "greet", None, "longer than 500"),
        ("two\nlines", "greet", None, "line break"),
        ("tab\there", "greet", None, "control character"),
        ("two\u2028lines", "greet", None, "line break"),
    ],
)  # fmt: skip
def test_invalid_annotations_are_refused(tmp_path, labels, text, intent, markup, complaint):
    path = tmp_path / "reviewed.yml"
    with pytest.raises(AnnotationError, match=complaint):
        annotate(path, text, intent, markup, *labels)
    assert not path.exists()


def test_longest_allowed_text(tmp_path, labels):
    annotate(tmp_path / "reviewed.yml", "a" * 500, "greet", None, *labels)
    assert examples(tmp_path / "reviewed.yml") == [("a" * 500, "greet", [])]
