"""Test stories from a tracker store Rasa wrote, saved into files Rasa's story reader reads."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from shopassist.console import stories  # not `import test_story`: pytest would collect it
from shopassist.console.conversations import Turn
from tests.console_kit import (
    ROOT,
    T0,
    action,
    bot,
    conversation_store,
    domain,
    pause,
    resume,
    session_start,
    slot,
    user,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return conversation_store(
        tmp_path_factory.mktemp("stories") / "t.db",
        {
            "c1": [
                *session_start(T0),
                user("ship it to Berlin", "change_address", T0 + 1,
                     entities=[("Berlin", "city")], sentiment=("neutral", 0.0)),
                slot("sentiment", "neutral", T0 + 1),
                action("utter_greet", T0 + 2),
                bot("Hello!", T0 + 3),
                action("action_listen", T0 + 3),
                user("can i send it back", "faq/return_policy", T0 + 5),
                action("utter_faq", T0 + 6),
                bot("You have 30 days.", T0 + 6),
                action("action_listen", T0 + 6),
            ],
            # A person took over: the story stops there.
            "c2": [
                *session_start(T0),
                user("i want a person", "human_handoff", T0 + 1),
                action("action_handoff", T0 + 2),
                action("action_listen", T0 + 2),
                pause(T0 + 10),
                bot("Anna from our customer service team has joined the chat.", T0 + 10,
                    agent="anna"),
                user("my parcel is wet", "complaint", T0 + 20),
                resume(T0 + 30),
                user("thanks", "thank", T0 + 40),
                action("utter_you_are_welcome", T0 + 41),
            ],
            "empty": session_start(T0),
        },
    )  # fmt: skip


def read_stories(path):
    """Story steps as `rasa test` reads the file, failing on any warning Rasa raises."""
    reader = YAMLStoryReader(domain())  # loading the domain warns of its own
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        steps = reader.read_from_file(path)
    issues = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert issues == []
    return steps


def test_story_of_a_conversation(store):
    story = stories.test_story(store.rows("c1"), "Berlin: address change ✓\n", domain())
    assert story == (
        'version: "3.1"\n'
        "stories:\n"
        "- story: 'Berlin: address change'\n"
        "  steps:\n"
        "  - intent: change_address\n"
        "    user: |-\n"
        "      ship it to [Berlin](city)\n"  # and no `[]{"entity": "sentiment"...}`
        "  - slot_was_set:\n"
        "    - sentiment: neutral\n"
        "  - action: utter_greet\n"
        "  - intent: faq/return_policy\n"  # the response key, from the parse data
        "    user: |-\n"
        "      can i send it back\n"
        "  - action: utter_faq\n"
    )


def test_story_reads_back_as_the_conversation(store, tmp_path):
    path = tmp_path / "test_reviewed.yml"  # test_ prefix: Rasa allows `faq/...` there
    stories.save_story(path, stories.test_story(store.rows("c1"), "c1", domain()))
    (step,) = read_stories(path)
    assert step.block_name == "c1"
    users = [e for e in step.events if isinstance(e, UserUttered)]
    assert [(u.text, u.intent_name, u.full_retrieval_intent_name) for u in users] == [
        ("ship it to Berlin", "change_address", None),
        ("can i send it back", "faq", "faq/return_policy"),
    ]
    assert users[0].entities == [{"start": 11, "end": 17, "value": "Berlin", "entity": "city"}]
    assert [e.action_name for e in step.events if isinstance(e, ActionExecuted)] == [
        "utter_greet",
        "utter_faq",
    ]
    assert [(e.key, e.value) for e in step.events if isinstance(e, SlotSet)] == [
        ("sentiment", "neutral")
    ]


def test_story_stops_where_a_person_took_over(store):
    story = stories.test_story(store.rows("c2"), "handoff")
    assert "i want a person" in story and "action_handoff" in story
    assert "wet" not in story and "thanks" not in story and "Anna" not in story


def test_story_from_event_dicts(store):
    events = [json.loads(row.data) for row in store.rows("c1")]
    assert stories.test_story(events, "c1") == stories.test_story(store.rows("c1"), "c1")


def test_no_story_without_a_customer_message(store):
    with pytest.raises(ValueError, match="no customer message"):
        stories.test_story(store.rows("empty"), "empty")
    with pytest.raises(ValueError, match="no customer message"):
        stories.test_story([], "nothing")


def test_transcript_turns_are_refused_with_a_hint(store):
    with pytest.raises(TypeError, match="event rows"):
        stories.test_story([Turn("user", T0, text="hi")], "turns")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("order 100234: wrong size", "order 100234: wrong size"),
        ("two\nlines\tand  spaces ", "two lines and spaces"),
        ('<script>"x"</script> {a}: [b]', "script x /script a : b"),
        ("", "reviewed conversation"),
        ("✓✓", "reviewed conversation"),
        ("x" * 100, "x" * 80),
    ],
)
def test_story_names_are_one_printable_line(name, expected):
    assert stories.story_name(name) == expected


def test_test_story_is_not_collected_as_a_test():
    assert stories.test_story.__test__ is False


# ------------------------------------------------------------------------------- saving


def story(name="c1"):
    return (
        f'version: "3.1"\nstories:\n- story: {name}\n  steps:\n  - intent: greet\n'
        "    user: |-\n      hi there\n  - action: utter_greet\n"
    )


def test_save_creates_the_file_and_keeps_names_unique(tmp_path):
    path = tmp_path / "tests" / "test_reviewed.yml"
    assert stories.save_story(path, story()) == ["c1"]
    assert path.read_text().startswith('version: "3.1"\n\nstories:\n  - story: c1\n')
    assert stories.save_story(path, story()) == ["c1-2"]
    assert stories.save_story(path, story()) == ["c1-3"]
    assert stories.save_story(path, story("other")) == ["other"]
    assert [s.block_name for s in read_stories(path)] == ["c1", "c1-2", "c1-3", "other"]
    assert [p.name for p in path.parent.iterdir()] == ["test_reviewed.yml"]  # no temp files


def test_save_keeps_an_existing_file_as_it_was(tmp_path, store):
    # A project test story file, comments and layout and all.
    path = tmp_path / "test_support.yml"
    shutil.copy(ROOT / "tests" / "test_stories_support.yml", path)
    before = path.read_text()
    count = len(read_stories(path))
    story_yaml = stories.test_story(store.rows("c1"), "story", domain())
    assert stories.save_story(path, story_yaml) == ["story"]
    after = path.read_text()
    assert after.startswith(before)
    assert "\n  - story: story\n    steps:\n      - intent: change_address\n" in after
    assert len(read_stories(path)) == count + 1


def test_save_into_the_stories_before_a_later_key(tmp_path):
    path = tmp_path / "test_mixed.yml"
    path.write_text(
        'version: "3.1"\n'
        "stories:\n"
        "- story: c1\n"
        "  steps:\n"
        "  - intent: greet\n"
        "  - action: utter_greet\n"
        "\n"
        "# rules of the conversation\n"
        "rules:\n"
        "- rule: bye\n"
        "  steps:\n"
        "  - intent: goodbye\n"
        "  - action: utter_goodbye\n"
    )
    assert stories.save_story(path, story()) == ["c1-2"]
    text = path.read_text()
    assert text.index("- story: c1-2") < text.index("# rules of the conversation")
    assert "\n- story: c1-2\n  steps:\n  - intent: greet\n" in text  # the file's indentation
    assert [s.block_name for s in read_stories(path)] == ["c1", "c1-2", "bye"]


def test_save_after_a_message_that_looks_like_a_comment(tmp_path):
    path = tmp_path / "test_hash.yml"
    path.write_text(
        'version: "3.1"\n'
        "stories:\n"
        "  - story: c1\n"
        "    steps:\n"
        "      - user: |\n"
        "          #100234\n"  # the customer's words, not a comment
        "        intent: inform\n"
        "      - action: utter_greet\n"
        "      - intent: inform\n"  # as Rasa's writer orders it: the text last
        "        user: |\n"
        "          #100235\n"
        "# rules of the conversation\n"
        "rules:\n"
        "  - rule: bye\n"
        "    steps:\n"
        "      - intent: goodbye\n"
        "      - action: utter_goodbye\n"
    )
    assert stories.save_story(path, story()) == ["c1-2"]
    steps = read_stories(path)
    assert [s.block_name for s in steps] == ["c1", "c1-2", "bye"]
    assert [e.text for e in steps[0].events if isinstance(e, UserUttered)] == [
        "#100234",
        "#100235",
    ]


@pytest.mark.parametrize(
    "content",
    ['version: "3.1"\n', 'version: "3.1"\nstories: []\n', 'version: "3.1"\nstories:\n', ""],
)
def test_save_into_a_file_without_stories(tmp_path, content):
    path = tmp_path / "test_new.yml"
    path.write_text(content)
    assert stories.save_story(path, story()) == ["c1"]
    assert [s.block_name for s in read_stories(path)] == ["c1"]


def test_nothing_to_save(tmp_path):
    with pytest.raises(ValueError, match="no story"):
        stories.save_story(tmp_path / "test_x.yml", 'version: "3.1"\n')
    assert not (tmp_path / "test_x.yml").exists()


def test_an_entity_two_extractors_found_is_written_once():
    message = {"event": "user", "text": "where is order 100234", "timestamp": 1.0,
               "parse_data": {"intent": {"name": "order_status", "confidence": 0.9},
                              "entities": [
                                  {"entity": "order_id", "value": "100234", "start": 15,
                                   "end": 21, "extractor": extractor}
                                  for extractor in ("RegexEntityExtractor", "DIETClassifier")
                              ]}}  # fmt: skip
    story = stories.test_story([message], "two extractors")
    assert "where is order [100234](order_id)\n" in story


def test_a_saved_story_carries_no_personal_data(tmp_path):
    from rasa.shared.core.events import SlotSet

    email = "anna.becker@example.com"
    events = [
        UserUttered(
            f"it's {email}, call +44 20 7946 0958",
            {"name": "inform", "confidence": 0.9},
            [{"entity": "email", "value": email, "start": 5, "end": 5 + len(email)}],
        ),
        SlotSet("verified_email", email),
    ]
    story = stories.test_story([e.as_dict() for e in events], "c9")
    assert email not in story and "7946" not in story
    assert (
        "[customer@example.com](email)" in story and "verified_email: customer@example.com" in story
    )
    path = tmp_path / "test_reviewed.yml"
    stories.save_story(path, story)
    (step,) = read_stories(path)  # still a valid test story
    assert [e.text for e in step.events if isinstance(e, UserUttered)] == [
        "it's customer@example.com, call +1 555 0100"
    ]
