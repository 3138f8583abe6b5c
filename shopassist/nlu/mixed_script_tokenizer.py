"""Whitespace tokenizer that also segments Chinese into words (jieba).

Rasa's WhitespaceTokenizer leaves a Chinese sentence as one token ("我的订单100234到哪里了"
is one word), so word counts, regex flags and DIET's entity tags see nothing inside it.
Rasa's own JiebaTokenizer handles Chinese only and keeps spaces as tokens. This one splits on
whitespace as Rasa does for every language, then cuts each run of Han characters with jieba,
so one pipeline serves English, German, French, Spanish and Chinese.

    - name: shopassist.nlu.mixed_script_tokenizer.MixedScriptTokenizer
      intent_tokenization_flag: true
      intent_split_symbol: "+"
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HAN_RUN = re.compile(HAN.pattern + "+")
# Pieces that carry no word: punctuation and symbols only (full-width ones included).
NO_WORD = re.compile(r"[\W_]+")
# A word between Han runs: from a letter or digit to a letter or digit, with no space
# ("anna.becker@example.com", "ORD-100310"; "100310？" is "100310").
WORD = re.compile(r"[^\W_](?:\S*[^\W_])?")


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import jieba

    # jieba logs its dictionary loading at INFO on every process start.
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment(text: str) -> List[tuple]:
    """(word, start) pairs of a text with Han characters, punctuation dropped.

    Only the Han runs go to jieba: what stands between them is kept whole, as the
    whitespace tokenizer keeps it, so "我的邮箱是anna.becker@example.com" ends in the whole
    address and "订单ORD-100310到哪了" holds "ORD-100310" (jieba cut both into pieces,
    and the e-mail slot took a piece of the address)."""
    pieces: List[tuple] = []
    position = 0
    for run in HAN_RUN.finditer(text):
        pieces.extend(_whole(text[position : run.start()], position))
        pieces.extend(
            (word, run.start() + start)
            for word, start, _ in _segmenter().tokenize(run.group())
            if word.strip() and not NO_WORD.fullmatch(word)
        )
        position = run.end()
    pieces.extend(_whole(text[position:], position))
    return pieces


def _whole(chunk: str, offset: int) -> List[tuple]:
    """The words of a stretch without Han characters, without the punctuation around them."""
    return [(word.group(), offset + word.start()) for word in WORD.finditer(chunk)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MixedScriptTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer with Han runs cut into words."""

    @staticmethod
    def required_packages() -> List[str]:
        return ["jieba"]

    def remove_emoji(self, text: str) -> str:
        # Rasa's emoji pattern spans U+24C2..U+1F251, the CJK blocks included: it dropped
        # every all-Chinese piece of a message that also had digits or Latin letters
        # ("订单100234到哪了，谢谢" lost 谢谢), so word counts missed it and DIET's entity
        # tags were misaligned.
        if HAN.search(text):
            return text
        return super().remove_emoji(text)

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        if not any(HAN.search(token.text) for token in tokens):
            return tokens
        words: List[Token] = []
        for token in tokens:
            if not HAN.search(token.text):
                words.append(token)
                continue
            pieces = segment(token.text)
            words.extend(Token(word, token.start + start) for word, start in pieces)
            if not pieces:
                words.append(token)
        return words
