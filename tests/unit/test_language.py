"""The language of a message and of a conversation, with the real detector (no mocks)."""

import subprocess
import sys
from pathlib import Path

import pytest

from shopassist.language import SUPPORTED, conversation_language, detect, served
from shopassist.language.pinyin import is_pinyin
from shopassist.language.text import profile

ROOT = Path(__file__).resolve().parents[2]
GERMAN = "Wo bleibt meine Bestellung? Ich habe vor einer Woche bestellt."


def test_the_five_served_languages():
    assert SUPPORTED == ("en", "de", "fr", "es", "zh")


@pytest.mark.parametrize(
    "text,language",
    [
        (GERMAN, "de"),
        ("Where is my order 100234? It should have arrived on Monday.", "en"),
        ("Je voudrais retourner mon casque, il ne marche pas.", "fr"),
        ("Quiero devolver los auriculares, no funcionan bien", "es"),
        ("我的订单100234到哪了？", "zh"),
        ("我的PayPal付款失败了", "zh"),  # a brand in Latin letters inside Chinese
    ],
)
def test_a_clear_message_is_read(text, language):
    reading = detect(text)
    assert (reading.language, reading.clear, reading.unsupported) == (language, True, None)
    assert 0.3 <= reading.confidence <= 1.0


@pytest.mark.parametrize("text", ["好的", "谢谢", "退货"])
def test_any_chinese_characters_are_clear_even_one_word(text):
    reading = detect(text)
    assert reading.language == "zh" and reading.clear


@pytest.mark.parametrize("text", ["100234", "test@example.com", "👍", "🙏🙏", "", "   ", None, 42])
def test_no_language_in_numbers_addresses_emoji_or_non_text(text):
    reading = detect(text)
    assert (reading.language, reading.words, reading.clear, reading.unsupported) == (
        None,
        0,
        False,
        None,
    )


@pytest.mark.parametrize("text", ["ok", "PayPal?", "order 100234", "merci", "danke", "si"])
def test_a_short_message_is_never_clear(text):
    assert not detect(text).clear


@pytest.mark.parametrize(
    "text,unsupported",
    [
        ("注文した商品はいつ届きますか？", "ja"),  # kana, even with kanji
        ("주문한 물건이 아직 안 왔어요", "ko"),
        ("Где мой заказ?", "cyrillic"),
        ("أين طلبي؟ لم يصل بعد", "arabic"),
        ("Πού είναι η παραγγελία μου;", "el"),
        ("Onde está a minha encomenda?", "pt"),  # Latin letters, read as Spanish without the check
        ("Gdzie jest moje zamówienie?", "pl"),
        ("Waar is mijn bestelling?", "nl"),
        ("dov'è il mio ordine 100234?", "it"),
        ("wo de dingdan zai nali", "pinyin"),
        ("wǒ xiǎng tuìhuò", "pinyin"),  # tone marks no served language writes
        ("wo3 xiang3 tui4huo4", "pinyin"),
    ],
)
def test_an_unserved_language_is_reported(text, unsupported):
    reading = detect(text)
    assert (reading.language, reading.unsupported, reading.clear) == (None, unsupported, False)
    assert reading.clearly_unsupported


@pytest.mark.parametrize(
    "text,unsupported",
    [
        # The detector's lead is not enough in Latin letters: names, and English words
        ("Kerkstraat 10, 1017 GM Amsterdam, Netherlands", "nl"),
        ("street should be Kerkstraat not Kerkweg, order #100049", "nl"),
        ("gdpr data access request", "it"),
        ("are you an AI", None),  # pinyin syllables, English words
        ("take care", None),
        ("sí, cancélalo", None),  # pinyin syllables and a Spanish accent
        ("ni hao", None),  # two words: too short
    ],
)
def test_served_words_and_names_are_not_clearly_unserved(text, unsupported):
    reading = detect(text)
    assert reading.unsupported == unsupported
    assert not reading.clearly_unsupported


@pytest.mark.parametrize(
    "previous,text,page,expected",
    [
        ("en", GERMAN, None, "de"),  # a clear message switches
        ("de", "Where is my order 100234? It should have arrived on Monday.", "de", "en"),
        ("en", "好的", None, "zh"),  # Chinese characters switch, however short
        ("de", "我的PayPal付款失败了", None, "zh"),
        ("zh", "Quiero devolver los auriculares, no funcionan bien", None, "es"),
        ("de", "ok", None, "de"),  # short or ambiguous: keep
        ("fr", "100234", None, "fr"),
        ("es", "test@example.com", None, "es"),
        ("de", "PayPal?", None, "de"),
        ("fr", "danke", None, "fr"),  # a short word of another language does not switch
        ("en", "Hallo", None, "en"),  # nor does a greeting: it only sets a new conversation
        ("de", "hola", "es", "de"),
        ("de", "wo de dingdan zai nali", None, "de"),  # pinyin: keep
        ("en", "wǒ de dìngdān zài nǎlǐ", None, "en"),
        ("de", "je voudrais return my order please", None, "de"),  # mixed: keep
        ("zh", "I want to return 这个", None, "zh"),
        ("fr", "Где мой заказ?", None, "fr"),  # unserved: keep (the caller explains in English)
        ("es", "", None, "es"),
    ],
)
def test_conversation_language_with_a_previous_language(previous, text, page, expected):
    assert conversation_language(previous, text, page) == expected


@pytest.mark.parametrize(
    "text,page,expected",
    [
        ("ok", "de", "de"),  # the page's language first
        ("100234", "zh-CN", "zh"),
        ("ok", "fr_FR", "fr"),
        ("ok", "it", "en"),  # a page in an unserved language: as if there were none
        ("danke", None, "en"),  # a short message's reading does not set it
        ("gracias", "pt-BR", "en"),
        ("ok", None, "en"),  # else English
        ("100234", None, "en"),
        ("Где мой заказ?", None, "en"),
        ("주문한 물건이 아직 안 왔어요", "es", "es"),
        (GERMAN, "en", "de"),  # a clear message wins over the page
        ("Hallo", None, "de"),  # a greeting of one served language sets it
        ("Guten Tag!", None, "de"),
        ("bonjour", None, "fr"),
        ("Salut !", "en", "fr"),  # ... before the page's language
        ("¡Hola!", None, "es"),
        ("Buenos dias", None, "es"),
        ("hello", None, "en"),  # English and shared greetings do not
        ("hi", "de", "de"),
        ("ok", None, "en"),
        ("ciao", None, "en"),
    ],
)
def test_conversation_language_of_a_new_conversation(text, page, expected):
    assert conversation_language(None, text, page) == expected


def test_an_unserved_previous_language_counts_as_none():
    assert conversation_language("it", "ok", "fr") == "fr"
    assert conversation_language("pt", "ok") == "en"


def test_the_result_is_always_served():
    for previous in (None, "en", "it", "xx"):
        for text in ("ok", GERMAN, "Где мой заказ?", "", "好的"):
            assert conversation_language(previous, text) in SUPPORTED


@pytest.mark.parametrize(
    "code,expected",
    [("de", "de"), ("de-AT", "de"), ("zh_CN", "zh"), ("ZH-Hans", "zh"), (" en ", "en"),
     ("pt-BR", None), ("", None), (None, None), (7, None)],
)  # fmt: skip
def test_served_codes(code, expected):
    assert served(code) == expected


def test_words_and_scripts():
    assert profile("我的订单100234到哪了？").words == 4  # two runs of Han: 2 + 2 words
    assert profile("Mail: a.b@example.com, order 100234").words == 2
    assert profile("PayPal付款失败了").scripts == {"latin": 1, "han": 3}
    assert profile("don't know").words == 2


@pytest.mark.parametrize(
    "text,expected",
    [
        ("wo de dingdan zai nali", True),
        ("wǒ de dìngdān zài nǎlǐ", True),
        ("wo3 xiang4 tui4huo4", True),
        ("xi'an hao", True),
        ("Wo bleibt meine Bestellung?", False),
        ("where is my order", False),
        ("nihao", False),  # one word: not enough to tell
    ],
)
def test_pinyin(text, expected):
    assert is_pinyin(text) is expected


def test_the_detector_is_built_lazily_once_and_offline():
    """In a fresh process with every network connection refused: importing builds nothing,
    the first message builds the detector, later ones reuse it."""
    script = """
import socket
def refuse(*args, **kwargs):
    raise OSError("no network in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
import shopassist.language as language
from shopassist.language import detector
assert detector._detector is None, "built at import"
assert language.detect("Wo bleibt meine Bestellung?").language == "de"
first = detector._detector
assert first is not None
assert language.detect("Quiero devolver los auriculares").language == "es"
assert detector._detector is first
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


def _forward_reading(events):
    """The rule as the turns module's docstring states it, read from the first turn on."""
    from shopassist.language.conversation import served
    from shopassist.language.greetings import greeting_language

    page = latest = greeting = None
    for event in events:
        if event.get("event") != "user":
            continue
        metadata = event.get("metadata") or {}
        page = served(metadata.get("language")) or page
        greeting = greeting_language(event.get("text")) or greeting
        reading = (event.get("parse_data") or {}).get("language") or {}
        if metadata.get("language_chosen") is True and served(metadata.get("language")):
            latest = served(metadata["language"])  # a choice in the menu holds over the turn
        elif reading.get("clear") and served(reading.get("code")):
            latest = reading["code"]
    return latest or greeting or page or "en"


def test_reading_back_from_the_latest_turn_gives_the_rule_as_stated():
    import random

    from shopassist.language.turns import conversation_language_of

    rng = random.Random(7)
    codes = ["en", "de", "fr", "zh", "it", None, "de-AT"]
    for _ in range(2000):
        events = []
        for _ in range(rng.randint(0, 8)):
            if rng.random() < 0.2:
                events.append({"event": "bot", "text": "hi"})
                continue
            metadata = {"language": rng.choice(codes)} if rng.random() < 0.4 else {}
            if metadata and rng.random() < 0.3:
                metadata["language_chosen"] = True  # picked in the web chat's menu
            events.append(
                {
                    "event": "user",
                    "text": rng.choice(["...", "Hallo", "hola", "hello", "bonjour"]),
                    "metadata": metadata,
                    "parse_data": {
                        "language": {"code": rng.choice(codes), "clear": rng.random() < 0.5}
                    },
                }
            )
        assert conversation_language_of(events) == _forward_reading(events)
        assert conversation_language_of(iter(events)) == _forward_reading(events)


def test_a_language_picked_in_the_menu_holds_over_what_the_customer_writes():
    from shopassist.language.turns import conversation_language_of, read_language_of

    def turn(code, clear, **metadata):
        return {
            "event": "user",
            "metadata": metadata,
            "parse_data": {"language": {"code": code, "clear": clear}},
        }

    english = turn("en", True)
    assert conversation_language_of([english]) == "en"
    # Picked after English turns: the next "hi" is answered in German.
    assert (
        conversation_language_of([english, turn("en", False, language="de", language_chosen=True)])
        == "de"
    )
    # ... and so is a clear English message written while the choice stands.
    chosen = {"language": "de", "language_chosen": True}
    assert conversation_language_of([english, turn("en", True, **chosen)]) == "de"
    # The page's language alone still gives way to a clear message.
    assert conversation_language_of([turn("en", True, language="de")]) == "en"
    # Only a served language and an explicit True count as a choice.
    assert (
        conversation_language_of([english, turn("en", False, language="ja", language_chosen=True)])
        == "en"
    )
    assert (
        conversation_language_of([english, turn("en", False, language="de", language_chosen="yes")])
        == "en"
    )
    # Nothing read: the reply language is English, the read language unknown.
    assert read_language_of([turn("en", False)]) is None
    assert conversation_language_of([turn("en", False)]) == "en"


@pytest.mark.parametrize("previous", [None, "de", "fr", "zh"])
@pytest.mark.parametrize("page", [None, "es", "it"])
@pytest.mark.parametrize(
    "text",
    ["ok", "danke", "gracias", "blender", GERMAN, "好的", "Где мой заказ?", "Hallo", "salut"],
)
def test_the_one_message_rule_is_the_rule_served_from_a_tracker(previous, page, text):
    """conversation_language (one message) and shopassist.language.turns (a tracker's
    events, what Rasa and the actions use) must agree."""
    from shopassist.language.turns import conversation_language_of
    from shopassist.nlu.language_reader import reading_of

    events = []
    if previous:
        earlier = {"code": previous, "clear": True}  # an earlier clear turn in `previous`
        events.append({"event": "user", "parse_data": {"language": earlier}, "metadata": {}})
    metadata = {"language": page} if page else {}
    # Rasa keeps the text in the event and in its parse data.
    parse_data = {"language": reading_of(text), "text": text}
    events.append({"event": "user", "parse_data": parse_data, "metadata": metadata})
    assert conversation_language_of(events) == conversation_language(previous, text, page)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Hallo", "de"), ("hallo!", "de"), ("Guten Morgen 👋", "de"), ("Grüß Gott", "de"),
        ("Gruss Gott", "de"), ("Moin moin", "de"), ("Servus", "de"), ("Bonjour", "fr"),
        ("salut", "fr"), ("Bonsoir !", "fr"), ("Hola", "es"), ("buenos días", "es"),
        ("Buenas tardes.", "es"),
        ("hello", None), ("hi", None), ("hey", None), ("ok", None), ("ciao", None),
        ("Hallo, wo ist meine Bestellung?", None),  # more than a greeting: the detector reads it
        ("hallo 100234", None), ("你好 hallo", None), ("", None), (None, None),
    ],
)  # fmt: skip
def test_greetings_of_one_served_language(text, expected):
    from shopassist.language.greetings import greeting_language

    assert greeting_language(text) == expected


def test_a_greeting_sets_a_new_conversation_and_never_switches_one():
    from shopassist.language.turns import conversation_language_of

    def turn(text, code=None, clear=False, **metadata):
        reading = {"code": code, "clear": clear}
        return {"event": "user", "text": text, "metadata": metadata,
                "parse_data": {"language": reading, "text": text}}  # fmt: skip

    assert conversation_language_of([turn("Hallo")]) == "de"
    assert conversation_language_of([turn("hello", "en")]) == "en"
    assert conversation_language_of([turn("Hallo", language="en")]) == "de"  # over the page
    # An English conversation stays English after a German greeting ...
    english = turn("where is my order please", "en", True)
    assert conversation_language_of([english, turn("Hallo")]) == "en"
    # ... and a clear message after a greeting sets the language as usual.
    assert conversation_language_of([turn("Hallo"), english]) == "en"
    # A choice in the menu holds over a greeting.
    assert conversation_language_of([turn("hola", language="fr", language_chosen=True)]) == "fr"
    # The text is also read from the parse data, where Rasa keeps it too.
    assert conversation_language_of([{"event": "user", "parse_data": {"text": "bonjour"}}]) == "fr"
