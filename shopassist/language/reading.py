"""What language one message is written in, if any: `detect(text) -> Reading`.

Scripts decide first, without a model: Han is Chinese (a few Latin words beside it, such
as "PayPal", are part of Chinese messages), kana is Japanese, Hangul Korean, and other
scripts (Cyrillic, Arabic, ...) are unserved languages. Pinyin (Chinese in Latin letters)
is no reading of a served language: surely pinyin (shopassist.language.unserved) it is
unsupported ("pinyin"), else no reading at all. Everything else in Latin letters goes to
the detector, whose best served language counts only when it leads the second by MARGIN
and the message's two halves are not surely in two different served languages (a mixed
message is no reading); an unserved language leading by MARGIN in a message of three words
or more makes the message unsupported, and `surely_unserved` makes it clearly so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from shopassist.language import detector
from shopassist.language.pinyin import is_pinyin
from shopassist.language.text import Profile, profile
from shopassist.language.unserved import surely_pinyin, surely_unserved

SUPPORTED = detector.SUPPORTED
# The lead of the best language over the second needed to trust a reading. Chosen once on
# the evaluation sets (bench/BENCHMARKS.md, *Language identification*): sure readings of
# messages of three words or more are then 99.8% right, of one or two words 97%.
MARGIN = 0.3
PINYIN = "pinyin"  # `unsupported` for Chinese surely written in Latin letters
MIN_WORDS = 3  # a reading of fewer words never switches a conversation's language
SERVED_SCRIPTS = ("latin", "han")
# Scripts that name one language; any other unserved script is reported by its own name.
_SCRIPT_LANGUAGE = {
    "kana": "ja",
    "hangul": "ko",
    "thai": "th",
    "greek": "el",
    "hebrew": "he",
    "georgian": "ka",
    "armenian": "hy",
    "khmer": "km",
    "lao": "lo",
    "myanmar": "my",
    "sinhala": "si",
    "tamil": "ta",
    "telugu": "te",
    "kannada": "kn",
    "malayalam": "ml",
    "gujarati": "gu",
    "gurmukhi": "pa",
    "tibetan": "bo",
}


@dataclass(frozen=True)
class Reading:
    """One message's language: a served language or None when unsure or not a text."""

    language: Optional[str]  # one of SUPPORTED, or None
    confidence: float  # the lead over the second language, or the script's share; 0..1
    words: int = 0
    unsupported: Optional[str] = None  # an unserved language's code, a script's name, "pinyin"
    sure: bool = False  # the unserved language is sure (see clearly_unsupported)

    @property
    def clear(self) -> bool:
        """Sure enough to switch a conversation: three words or more, or Chinese characters."""
        return self.language is not None and (self.words >= MIN_WORDS or self.language == "zh")

    @property
    def clearly_unsupported(self) -> bool:
        """Sure enough to answer that the language is not served: written mostly in a script
        no served language uses (kana, Hangul, Cyrillic, Arabic, ...), or in Latin letters
        surely pinyin or surely an unserved language (shopassist.language.unserved). The
        detector's lead alone is not sure: on the training data it read Dutch into
        addresses ("Kerkstraat 10, 1017 GM Amsterdam") and English sentences naming Dutch
        streets, with leads up to 0.99."""
        return self.unsupported is not None and self.sure


def _lead(scores: Dict[str, float]) -> Tuple[Optional[str], float]:
    """The best language and its lead over the second, the scores scaled to add up to 1."""
    total = sum(scores.values())
    if total <= 0:
        return None, 0.0
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0][0], (ranked[0][1] - second) / total


def _by_script(seen: Profile) -> Optional[Reading]:
    """The reading that the scripts alone give, or None when the detector must decide."""
    latin, han = seen.scripts.get("latin", 0), seen.scripts.get("han", 0)
    kana = seen.scripts.get("kana", 0)
    unserved = {s: n for s, n in seen.scripts.items() if s not in SERVED_SCRIPTS}
    if kana and kana + han >= latin:
        return Reading(None, seen.share("kana", "han"), seen.words, "ja", True)
    if sum(unserved.values()) > latin + han:
        script = max(unserved, key=unserved.get)
        name = _SCRIPT_LANGUAGE.get(script, script)
        return Reading(None, seen.share(*unserved), seen.words, name, True)
    if han:
        # Chinese with a brand or two in Latin letters is Chinese; a sentence in another
        # language with a Chinese word in it is mixed, and mixed is no reading.
        share = seen.share("han")
        return Reading("zh" if han >= latin else None, share, seen.words)
    return None


def detect(text: object) -> Reading:
    """The served language of a message, None when unsure, or why it cannot be served."""
    seen = profile(text)
    if not seen.words:  # empty, digits, an e-mail address, emoji: no language
        return Reading(None, 0.0, 0)
    by_script = _by_script(seen)
    if by_script is not None:
        return by_script
    if is_pinyin(seen.text):
        if surely_pinyin(seen.text):
            return Reading(None, 1.0, seen.words, PINYIN, True)
        return Reading(None, 0.0, seen.words)
    scores = detector.confidences(seen.text)
    best, lead = _lead(scores)
    if best not in SUPPORTED and best is not None:
        if surely_unserved(seen.text, scores):
            return Reading(None, lead, seen.words, best, True)
        if lead >= MARGIN and seen.words >= MIN_WORDS:
            return Reading(None, lead, seen.words, best)
    language, lead = _served_lead(scores)
    if lead < MARGIN or _mixed(seen.text):
        language = None
    return Reading(language, lead, seen.words)


def _served_lead(scores: Dict[str, float]) -> Tuple[Optional[str], float]:
    return _lead({k: v for k, v in scores.items() if k in SUPPORTED})


def _mixed(text: str) -> bool:
    """Whether the two halves of a message of four words or more are surely in two different
    served languages ("je voudrais return my order please")."""
    words = text.split()
    if len(words) < 2 * 2:
        return False
    middle = len(words) // 2
    halves = [
        _served_lead(detector.confidences(" ".join(part)))
        for part in (words[:middle], words[middle:])
    ]
    return all(lead >= MARGIN for _, lead in halves) and halves[0][0] != halves[1][0]
