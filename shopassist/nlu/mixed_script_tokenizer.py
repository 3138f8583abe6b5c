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
# Pieces that carry no word: punctuation and symbols only (full-width ones included).
NO_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import jieba

    # jieba logs its dictionary loading at INFO on every process start.
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment(text: str) -> List[tuple]:
    """(word, start) pairs of a text with Han characters, punctuation dropped."""
    return [
        (word, start)
        for word, start, _ in _segmenter().tokenize(text)
        if word.strip() and not NO_WORD.fullmatch(word)
    ]


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
