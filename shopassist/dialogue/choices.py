"""Reading the customer's free-text answers inside forms.

Forms capture these answers as text (`from_text`), because customers answer "the second
one", "both", "the navy hoodie" or "it arrived broken", and no entity model covers all
that. Each reader returns None when it cannot tell, so the form asks again with a hint
instead of guessing: a wrong guess here would change the wrong order line. "All", "and",
"remove it", return reasons and conditions are read in the five served languages (the
other four's words: shopassist/dialogue/choice_words.py), and items by their English name
or by the customer's language's words for them (shopassist/dialogue/item_names.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from shopassist.dialogue import choice_words, item_names
from shopassist.store.policy import country_code

ORDINALS = {
    "first": 1,
    "1st": 1,
    "one": 1,
    "second": 2,
    "2nd": 2,
    "two": 2,
    "third": 3,
    "3rd": 3,
    "three": 3,
    "fourth": 4,
    "4th": 4,
    "four": 4,
    "fifth": 5,
    "5th": 5,
    "five": 5,
}
ALL_WORDS = ("all", "both", "everything", "whole order", "entire order", "the lot", "every")
_ALL_IN_OTHER_LANGUAGES = re.compile("|".join(choice_words.ALL))
_AND = re.compile(r",|&|\band\b|\bplus\b|" + choice_words.AND)
STOP_WORDS = frozenset(
    "a an the of and or to my me i it its this that one ones just only item items please "
    "pls want would like return send back cancel remove from order with x in on for".split()
)


def _words(text: str) -> List[str]:
    return list(item_names.words(text))


def _stem(word: str) -> str:
    # Plurals: "mugs" matches "Mug", "boxes" matches "Box"; short words are left alone.
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _content(text: str) -> set:
    # Numbers say "which position" or "how many", never which product.
    return {
        _stem(w)
        for w in _words(text)
        if w not in STOP_WORDS and w not in ORDINALS and not w.isdigit()
    }


def _score(part: str, name: str, language: str) -> int:
    """How much of the answer names this line: each of its words naming it in English or in
    the customer's language counts once, and (Chinese) the longest name found in it."""
    english = _content(name)
    named = {w for w in _words(part) if w not in STOP_WORDS and _stem(w) in english}
    named |= item_names.naming_words(part, name, language)
    return len(named) + item_names.longest_name(part, name, language)


def _pick_one(part: str, names: Sequence[str], language: str) -> Optional[int]:
    words = _words(part)
    if len(names) == 1 and words and set(words) <= STOP_WORDS | {"yes", "yeah", "that"}:
        return 0  # "that one", "it": there is only one line to mean
    numbers = [w for w in words if w.isdigit() or w in ORDINALS or w == "last"]
    if len(numbers) > 1 and "one" in numbers:
        numbers.remove("one")  # "the second one"
    scores = [_score(part, name, language) for name in names]
    best = max(scores, default=0)
    if best > 0:
        winners = [i for i, s in enumerate(scores) if s == best]
        return winners[0] if len(winners) == 1 else None
    if len(numbers) == 1 and len(words) <= 4:  # "2", "number 2", "the second one", "last"
        word = numbers[0]
        if word == "last":
            return len(names) - 1
        position = int(word) if word.isdigit() else ORDINALS[word]
        return position - 1 if 1 <= position <= len(names) else None
    return None


def pick_lines(
    text: str, names: Sequence[str], many: bool = False, language: str = "en"
) -> Optional[List[int]]:
    """Indexes of the order lines the customer means, or None when unclear.

    `names` are the lines as shown to the customer, in the order shown. With `many`, "all"
    and "both" pick every line and "the mug and the socks" picks two. `language` is the
    conversation's: its words for the products count beside the English names.
    """
    if not isinstance(text, str) or not text.strip() or not names:
        return None
    lowered = text.lower()
    if many and (
        any(re.search(rf"\b{word}\b", lowered) for word in ALL_WORDS)
        or _ALL_IN_OTHER_LANGUAGES.search(lowered)
    ):
        return list(range(len(names)))
    parts = _AND.split(lowered) if many else [lowered]
    picked: List[int] = []
    for part in parts:
        if not _words(part) and not item_names.has_han(part):
            continue
        index = _pick_one(part, names, language)
        if index is None:
            return None
        if index not in picked:
            picked.append(index)
    return picked or None


# Checked in this order: the first family with a matching phrase wins ("wrong size" means it
# does not fit, "sent the wrong item" means we made a mistake).
def _any(*patterns: str) -> str:
    return "|".join(patterns)


REASON_PHRASES = (
    (
        "never_arrived",
        _any(
            r"never (arrived|came|got)",
            r"not (arrived|received|delivered)",
            r"didn'?t (arrive|get|receive)",
            r"lost",
        ),
    ),
    (
        "wrong_item",
        _any(
            r"wrong_item",
            r"wrong (item|product|thing|model|colou?r)",
            r"not what i ordered",
            r"not (as|what was|like) (the )?(described|advertised|pictured|shown)",
            r"sent (me )?(the )?wrong",
            r"different (item|product)",
        ),
    ),
    (
        "damaged",
        r"damaged|broken|smashed|cracked|shattered|dented|torn|ripped|scratched",
    ),
    (
        "defective",
        _any(
            r"defective|faulty|does ?n[o']?t work|not working|stopped working",
            r"won'?t (turn|switch) on|dead|malfunction",
        ),
    ),
    (
        "does_not_fit",
        _any(
            r"does_not_fit",
            r"(doesn'?t|does not|didn'?t|don'?t) fit",
            r"too (small|big|large|tight|loose|short|long)",
            r"wrong size|fit",
        ),
    ),
    (
        "changed_mind",
        _any(
            r"changed_mind|change[ds]? (my|of) mind",
            r"(don'?t|do not|no longer) (want|need|like)",
            r"not needed|not for me|didn'?t like",
        ),
    ),
    ("other", r"^\s*other\b"),
)
# ... and the same reasons in the other served languages.
REASON_PHRASES = tuple(
    (code, _any(english, *choice_words.REASONS[code])) for code, english in REASON_PHRASES
)


def _first_family(text: str, families: Sequence[tuple]) -> Optional[str]:
    """The code of the first (code, pattern) family whose pattern `text` matches, or None."""
    if not isinstance(text, str):
        return None
    lowered = text.lower()
    return next((code for code, pattern in families if re.search(pattern, lowered)), None)


def parse_reason(text: str) -> Optional[str]:
    """A return reason code of the policy (`damaged`, `does_not_fit`, ...) or None."""
    return _first_family(text, REASON_PHRASES)


CONDITION_PHRASES = (
    ("damaged", r"damaged|broken|cracked|smashed"),
    (
        "unopened",
        _any(
            r"unopened|un-opened|sealed|never (been )?opened|not opened",
            r"still in (the|its) (box|packaging)|brand new|unused|original packaging",
        ),
    ),
    ("opened", r"opened|used|tried|worn|like new|open\b|once|twice|a few times"),
)
CONDITION_PHRASES = tuple(
    (code, _any(english, *choice_words.CONDITIONS[code])) for code, english in CONDITION_PHRASES
)


def parse_condition(text: str) -> Optional[str]:
    """`unopened`, `opened` or `damaged`, or None."""
    return _first_family(text, CONDITION_PHRASES)


SIZE_WORDS = {
    "extra small": "XS",
    "x-small": "XS",
    "small": "S",
    "medium": "M",
    "large": "L",
    "extra large": "XL",
    "x-large": "XL",
}
NUMBER_WORDS = {"zero": 0, "none": 0, **{k: v for k, v in ORDINALS.items() if k.isalpha()}}
NUMBER_WORDS.update({"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "single": 1})
_REMOVE_IN_OTHER_LANGUAGES = re.compile("|".join(choice_words.REMOVE))


def parse_item_change(
    text: str, colours: Sequence[str], sizes: Sequence[str]
) -> Optional[Dict[str, object]]:
    """What to change on one line: any of `colour`, `size`, `quantity` (0 means remove)."""
    if not isinstance(text, str) or not text.strip():
        return None
    lowered = text.lower()
    change: Dict[str, object] = {}
    for colour in colours:
        if re.search(rf"\b{re.escape(colour.lower())}\b", lowered):
            change["colour"] = colour
    size_text = lowered
    for phrase, size in sorted(SIZE_WORDS.items(), key=lambda kv: -len(kv[0])):
        if size in sizes and re.search(rf"\b{phrase}\b", size_text):
            change["size"] = size
            size_text = size_text.replace(phrase, " ")
            break
    if "size" not in change:
        for size in sizes:
            pattern = rf"\bsize\s*{re.escape(size.lower())}\b|^\s*{re.escape(size.lower())}\s*$"
            if not size.isdigit():
                pattern += rf"|\b{re.escape(size.lower())}\b(?!-)"
            if re.search(pattern, lowered):
                change["size"] = size
                size_text = re.sub(rf"\b{re.escape(size.lower())}\b", " ", size_text)
                break
    if re.search(r"\b(remove|delete|drop|take (it|them) off|don'?t want (it|any))\b", lowered) or (
        _REMOVE_IN_OTHER_LANGUAGES.search(lowered)
    ):
        change["quantity"] = 0
    else:
        numbers = [int(w) for w in _words(size_text) if w.isdigit()]
        numbers += [NUMBER_WORDS[w] for w in _words(size_text) if w in NUMBER_WORDS]
        if len(numbers) == 1 and "size" not in change:
            change["quantity"] = numbers[0]
    return change or None


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    postcode: str
    country: Optional[str]  # ISO code if we ship there, else as written; None if not given


POSTCODE = re.compile(
    r"\b("
    r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"  # GB: SW1A 1AA
    r"|[A-Z]\d[A-Z] ?\d[A-Z]\d"  # CA: K1A 0B1
    r"|\d{4} ?[A-Z]{2}"  # NL: 1012 AB
    r"|\d{5}(?:-\d{4})?"  # US, DE, FR, IT, ES
    r"|\d{4}"  # AT, BE, IE-ish, CH
    r")\b",
    re.IGNORECASE,
)


def parse_address(text: str) -> Optional[Address]:
    """A postal address written on one line with commas: street, city and postcode (any
    order after the street), then optionally the country. None if a part is missing."""
    if not isinstance(text, str) or len(text) > 300:
        return None
    parts = [p.strip() for p in re.split(r"[,\n;]", text) if p.strip()]
    if len(parts) < 2:
        return None
    country = country_code(parts[-1]) if len(parts) >= 3 else None
    if country:
        parts = parts[:-1]
    line1, rest = parts[0], parts[1:]
    if not (re.search(r"\d", line1) and re.search(r"[A-Za-z]{2}", line1)):
        return None  # a street address has a name and a number
    postcode, city, leftovers = None, None, []
    for part in rest:
        match = POSTCODE.search(part) if postcode is None else None
        if match:
            postcode = match.group(1).upper()
            part = (part[: match.start()] + part[match.end() :]).strip(" -")
        if part and city is None and re.search(r"[A-Za-z]{2}", part):
            city = part
        elif part and not match:
            leftovers.append(part)
    if not postcode or not city or len(leftovers) > 1 or (leftovers and country):
        return None
    if leftovers:
        # A country we do not know: kept as written, so the caller can say we don't ship there.
        country = leftovers[0]
    return Address(
        line1=line1,
        city=city.title() if city.islower() else city,
        postcode=postcode,
        country=country,
    )
