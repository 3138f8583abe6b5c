"""Checks a generated answer against the text it was given, before a customer sees it.

An answer passes only if all of these hold (each failure is one entry of `Verdict.problems`):

- shape: sane length, written in the conversation's language (English for now; see
  `LANGUAGE_CHECKS`), no words of our own prompts and no obeyed injection;
- facts: every number, amount, percentage, duration, date, weekday, relative day ("today"),
  order, tracking or return number, e-mail address, web address, proper name and the names
  the caller marks as sensitive appears in the source (number words count as their digits,
  "25 Nov" as "November 25th"); a duration keeps its unit ("24 hours" is not "24 days")
  and the event it counts from ("30 days of delivery" is not "30 days from ordering"); an
  amount or duration is said of the thing the source says it of (no "$4.99" for express
  when $4.99 is standard delivery; "free" counts as $0);
- polarity: each clause's words keep the negation they have in the most similar source
  clause, found by shared words weighted by rarity ("can't", "never", "not", "closed" as
  "not open", "free" as "no cost"); a "Yes" does not affirm what the source denies; no
  "always"/"every"/"any time" where the source has none; what the source excludes ("does
  not apply to express delivery") is not said of it; a claim the source makes only under a
  condition ("can only be returned if faulty", "free for orders with $50 or more", "only
  shipping is added") keeps it;
- support: no clause makes an unsupported claim (several content words the source does
  not have, a way to pay or be reached it does not list, a comparison such as "faster
  than", or a name it does not mention, unless the answer denies it); what someone "can"
  do is a verb of the source, and what ShopAssist can do is said of ShopAssist there; a
  date is the date of the event the facts give it (placed, delivered); a "Yes" to the
  customer's own figure ("3 days late, is it lost?") meets the source's threshold ("more
  than 5 days"); and the assistant does not claim to have done something (refunded,
  deleted, applied a discount...).

All of it is rules and word overlap on light stems with a small synonym table, written for
kinds of error (tests/generation/checker_cases.yml has examples of each): no model, about a
millisecond per check. The source's analysis is cached per source text. The sentence
encoder was not needed for the corpus and is not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, Iterable, List, Sequence, Tuple

MAX_ANSWER_CHARS = 700
MIN_ANSWER_CHARS = 2

# --- facts ----------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
# Looser than shopassist.store.identifiers on purpose: anything in a generated text that
# merely looks like an address must be found in the sources.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co)/\S*")
# Order, tracking, return and ticket numbers: a run of letters and digits with both in it.
_CODE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_DATE_DM = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\b", re.I)
_DATE_MD = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.I)
_MONTH_NAME = re.compile(
    r"\b(january|february|march|april|june|july|august|september|october|november|december)\b",
    re.I,
)
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.I)
# Days and times relative to now: a promise unless the source says it.
_RELATIVE_TIME = re.compile(
    r"\b(today|tonight|tomorrow|yesterday|same[- ]day|next[- ]day|overnight|this week|"
    r"next week|right away|straight away|immediately|instantly|within the hour|"
    r"within minutes)\b",
    re.I,
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
# What a number counts: "24 hours" and "24 days" are different facts.
_UNITS = {
    "business day": "bday",
    "business days": "bday",
    "working day": "bday",
    "working days": "bday",
    "day": "day",
    "days": "day",
    "hour": "hour",
    "hours": "hour",
    "minute": "minute",
    "minutes": "minute",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "character": "character",
    "characters": "character",
    "digit": "digit",
    "digits": "digit",
    "dollar": "$",
    "dollars": "$",
    "usd": "$",
}
_QUANTITY = re.compile(
    r"(?P<cur>[$€£])?\s?(?P<num>\d+(?:[.,]\d+)*|"
    + "|".join(_NUMBER_WORDS)
    + r")(?:\s?(?:-|to|–)\s?(?P<num2>\d+(?:[.,]\d+)*))?"
    r"(?:\s?-?\s?(?P<unit>business days?|working days?|days?|hours?|minutes?|weeks?|months?|"
    r"years?|%|percent|per cent|characters?|digits?|dollars?|usd)\b|(?P<pct>%))?"
    # The words after it, looked at but not consumed: a second quantity among them ("$39.99
    # and a 24-day warranty") is matched on its own.
    r"(?=(?P<after>(?:\s+[\w'-]+){0,6}))",
    re.I,
)
_ANCHOR = re.compile(r"^\s+(?:\w+\s+){0,2}?(?:of|from|after|since|following)\s+(.*)$", re.I)


def _value(token: str) -> str:
    """'1,200' -> '1200', '24.00' -> '24', '8:00' -> '8', 'thirty' -> '30'."""
    token = token.lower()
    if token in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[token])
    token = token.replace(",", "").rstrip(".:")
    token = re.sub(r"[.:]00$", "", token)
    return token


def _numbers(text: str) -> set:
    return {_value(m.group(0)) for m in _NUMBER.finditer(text)}


def _dates(text: str) -> set:
    found = set()
    for m in _DATE_DM.finditer(text):
        found.add((_MONTHS[m.group(2).lower().rstrip(".")], int(m.group(1))))
    for m in _DATE_MD.finditer(text):
        found.add((_MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2))))
    return found


def _strip_dates(text: str) -> str:
    return _DATE_MD.sub(" ", _DATE_DM.sub(" ", text))


def _quantities(text: str) -> List[Tuple[str, str, FrozenSet[str], str]]:
    """(value, unit, anchor concepts, surface) for every number that has a unit."""
    out = []
    for m in _QUANTITY.finditer(text):
        unit = m.group("unit") or m.group("pct")
        unit = _UNITS.get(unit.lower(), unit.lower()) if unit else ("$" if m.group("cur") else "")
        if not unit:
            continue
        anchor = frozenset()
        after = _ANCHOR.match(m.group("after") or "")
        if after:
            anchor = frozenset(_concepts_of(after.group(1))[:3])
        for num in (m.group("num"), m.group("num2")):
            if num:
                surface = m.group(0)[: m.start("after") - m.start()].strip()
                out.append((_value(num), unit, anchor, surface))
    return out


def _codes(text: str) -> set:
    return {m.group(0).upper() for m in _CODE.finditer(text) if len(m.group(0)) >= 4}


def unsupported_facts(answer: str, source: str, sensitive_names: Iterable[str] = ()) -> List[str]:
    """The facts in `answer` that `source` does not contain."""
    info = _source_info(source)
    missing: List[str] = []
    answer_wo_emails = _EMAIL.sub(" ", answer)
    for m in _EMAIL.finditer(answer):
        if m.group(0).lower().rstrip(".") not in info.lower:
            missing.append(m.group(0))
    for m in _URL.finditer(answer_wo_emails):
        if m.group(0).lower().rstrip(".,)") not in info.lower:
            missing.append(m.group(0).rstrip(".,)"))
    text = _URL.sub(" ", answer_wo_emails)
    codes = _codes(text)
    for code in sorted(codes - info.codes):
        missing.append(code)
    text = _CODE.sub(" ", text)
    for pattern, day_group, month_group in ((_DATE_DM, 1, 2), (_DATE_MD, 2, 1)):
        for m in pattern.finditer(text):
            month = _MONTHS[m.group(month_group).lower().rstrip(".")]
            if (month, int(m.group(day_group))) not in info.dates:
                missing.append(m.group(0))
    text_nodates = _strip_dates(text)
    for number in sorted(_numbers(text_nodates)):
        if number not in info.numbers:
            missing.append(number)
    for m in _NUMBER_WORD.finditer(text_nodates):
        word = m.group(0).lower()
        if word == "one" and not _QUANTITY.match(text_nodates, m.start()).group("unit"):
            continue  # "one" is a pronoun more often than a number
        if word not in info.words and _value(word) not in info.numbers:
            missing.append(m.group(0))
    for pattern in (_MONTH_NAME, _WEEKDAY, _RELATIVE_TIME, _PROMISE):
        for m in pattern.finditer(text):
            word = m.group(1).lower()
            if pattern is _MONTH_NAME and _MONTHS[word] in {month for month, _ in info.dates}:
                continue
            if not re.search(r"\b" + re.escape(word[:6]), info.lower):
                missing.append(m.group(0))
    for value, unit, _anchor, surface in _quantities(text_nodates):
        if value in info.numbers and not _unit_supported(value, unit, info):
            missing.append(surface)
    answer_lower = answer.lower()
    for name in sensitive_names:
        if name and name.lower() in answer_lower and name.lower() not in info.lower:
            missing.append(name)
    return list(dict.fromkeys(missing))


def _unit_supported(value: str, unit: str, info: _SourceInfo) -> bool:
    units = info.units.get(value, set())
    if unit in units:
        return True
    if unit == "day" and "bday" in units:  # "5 days" for "5 business days" is not false
        return True
    return not units and unit not in {"$", "%"}  # a bare number in the source: no unit known


# --- words, stems and concepts ---------------------------------------------------------

_STOP = frozenset(
    """a an the and or but so yet for of to in on at by with from as into onto than then
    that this these those there here it its it's itself i me my mine we us our ours you your
    yours he she they them their his her is are was were be been being am do does did done
    doing have has had having will would shall should can could may might must get gets got
    getting just also too very really simply still even already yet again any some all each
    every both either other another such same own more most much many few lot lots which
    who whom whose what when where why how if unless because while once until till
    before after about over under up down out off back away only not no nor never none
    yes yeah yep sure ok okay please thanks thank sorry course certainly absolutely great
    good news happy glad let lets like well now longer one ones thing things something
    anything everything nothing way ways make makes made go goes going gone come comes
    whatever though although whether per via there's that's here's what's you'll you're
    you've you'd we'll we're we've we'd i'm i've i'll i'd it'll they'll they're don't
    doesn't didn't can't cannot won't isn't aren't wasn't weren't hasn't haven't hadn't
    shouldn't wouldn't couldn't mustn't within through otherwise instead others among""".split()
)
# Negation: a word of this set, or any "n't".
_NEGATORS = frozenset(
    """not no never cannot nothing none nobody nor neither without bad poor dont doesnt didnt
    cant wont isnt arent wasnt werent hasnt havent hadnt shouldnt wouldnt couldnt""".split()
)
# Words that mean "not <concept>".
_ANTONYMS = {
    "closed": "open",
    "close": "open",
    "shut": "open",
    "free": "cost",
    "unavailable": "available",
    "impossible": "possible",
    "optional": "require",
    "unlimited": "limit",
}
# Concepts: several words, one meaning (stems are looked up after stemming, too).
_SYNONYMS = {
    "broken": "faulty",
    "broke": "faulty",
    "faulty": "faulty",
    "defective": "faulty",
    "damaged": "faulty",
    "damage": "faulty",
    "costs": "cost",
    "cost": "cost",
    "charge": "cost",
    "charged": "cost",
    "charges": "cost",
    "fee": "cost",
    "fees": "cost",
    "price": "price",
    "arrive": "deliver",
    "arrived": "deliver",
    "arrives": "deliver",
    "arrival": "deliver",
    "delivery": "deliver",
    "delivered": "deliver",
    "deliveries": "deliver",
    "received": "deliver",
    "keep": "store",
    "keeps": "store",
    "kept": "store",
    "stored": "store",
    "save": "store",
    "saved": "store",
    "retain": "store",
    "swap": "exchange",
    "exchanges": "exchange",
    "exchanged": "exchange",
    "expected": "estimat",
    "expect": "estimat",
    "required": "require",
    "need": "require",
    "needs": "require",
    "needed": "require",
    "accept": "offer",
    "accepts": "offer",
    "accepted": "offer",
    "offers": "offer",
    "offered": "offer",
    "available": "offer",
    "minus": "cost",
    "deduct": "cost",
    "deducted": "cost",
    "deducts": "cost",
    "requires": "require",
    "mandatory": "require",
    "email": "email",
    "emails": "email",
    "parcel": "parcel",
    "package": "parcel",
    "packages": "parcel",
    "parcels": "parcel",
    "shipping": "ship",
    "shipped": "ship",
    "ships": "ship",
    "postage": "ship",
    "dispatch": "ship",
    "dispatched": "ship",
    "sell": "sell",
    "sells": "sell",
    "sold": "sell",
    "refunds": "refund",
    "refunded": "refund",
    "returning": "return",
    "returned": "return",
    "returns": "return",
    "open": "open",
    "opened": "open",
}


for _label in set(_SYNONYMS.values()):
    _SYNONYMS.setdefault(_label, _label)


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    w = word.lower().strip("'’")
    if w in _SYNONYMS:
        return _SYNONYMS[w]
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("ation", ""),
        ("ion", ""),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + repl
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and (w[-1] not in "ls" or (w[-1] == "l" and len(w) > 5)):
        w = w[:-1]
    w = w[:7]
    return _SYNONYMS.get(w, w)


_TOKEN = re.compile(r"[a-z0-9$%]+(?:[.,][0-9]+)*(?:['’][a-z]+)?", re.I)


_NOT_YET = re.compile(r"\b(?:waiting|yet|still|about) to be\b", re.I)
_FREE = re.compile(r"\b(?:free of charge|at no (?:extra )?(?:cost|charge)|no charge)\b", re.I)


def _tokens(text: str) -> List[str]:
    text = re.sub(r"\be-mail", "email", text, flags=re.I)
    text = _FREE.sub("free", text)
    text = _NOT_YET.sub("not yet", text)
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def _is_negator(token: str) -> bool:
    return token in _NEGATORS or token.endswith("n't")


def _concepts_of(text: str) -> List[str]:
    return [c for c, _neg in _polarised(text)]


# Words a negation reaches across: "isn't our fault", "can't be returned", "not in the chat".
_PASS_THROUGH = frozenset(
    """be been being is are was were am have has had done the a an our your my their its his her
    any anything yet ever always longer more also just simply really even still to in on at
    for with by from all""".split()
)


_DIGIT_TOKEN = re.compile(r"[$]?\d")


def _polarised(text: str) -> List[Tuple[str, bool]]:
    """(concept, negated) for each content word: a negator covers the next content word.

    "free" is "not cost", "closed" is "not open": an antonym is its concept, negated.
    """
    out: List[Tuple[str, bool]] = []
    pending = False
    last_negated = False
    for token in _tokens(_EMAIL.sub(" ", text)):
        if _is_negator(token):
            pending = True
            continue
        if token in {"or", "nor"} and last_negated:
            pending = True  # "can't be moved or merged"
            continue
        if _DIGIT_TOKEN.match(token):
            out.append(("#" + _value(token.lstrip("$")), False))
            continue
        if token in _STOP or len(token) < 2:
            if token not in _PASS_THROUGH:
                pending = False  # "can't do in the chat": the negation is spent on "do"
            continue
        negated, pending = pending, False
        last_negated = negated
        if token in _ANTONYMS:
            out.append((_stem(_ANTONYMS[token]), not negated))
            continue
        out.append((_stem(token), negated))
    return out


# Clauses: a sentence cut at , ; : dashes and the conjunctions that join two statements.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSE = re.compile(
    r"\s*[,;:()]\s*|\s+[-–—]\s+|\s+(?=\b(?:and|but|so|because|since|whereas|otherwise|"
    r"which|who|that|if|when|unless|once|while|although|though)\b)",
    re.I,
)
_CONDITION = re.compile(
    r"\b(only|if|when|unless|once|while|as long as|provided|except|until|for orders|"
    r"or more|from \$|over \$)\b",
    re.I,
)
# Words that promise more than a fact: they must be in the source too.
_PROMISE = re.compile(
    r"\b(automatic(?:ally)?|guarantee[sd]?|promise[sd]?|lifetime|permanent(?:ly)?|"
    r"no questions asked)\b",
    re.I,
)
_UNIVERSAL = re.compile(
    r"\b(always|every|each|everyone|everything|all|any ?time|at any point|no matter|regardless|"
    r"whatever|guaranteed|unlimited|forever|even (?:if|when|after|before|once|though|for|with))\b",
    re.I,
)
_YES = re.compile(r"^\s*(yes|yep|yeah|sure|absolutely|certainly|of course)\b", re.I)
_YESNO_QUESTION = re.compile(
    r"\b(can|could|do|does|did|is|are|was|will|would|should|have|has|may|am)\s+(i|you|we|it|"
    r"they|my|your|the|there|this|that|express|shipping|returns?)\b.*",
    re.I,
)


_WH_QUESTION = re.compile(r"^\W*(how|what|whats|what's|when|where|which|who|why)\b", re.I)


def asks_yes_or_no(question: str) -> bool:
    """Whether the customer's question can be answered with a Yes or a No ("how much is
    return shipping" cannot, though "is return" is in it)."""
    if _WH_QUESTION.match(question or ""):
        return False
    return bool(_YESNO_QUESTION.search(question or ""))


_NO = re.compile(r"^\W*no\b\W*", re.I)


def opens_with_no(text: str) -> bool:
    return bool(_NO.match(text))


def opens_with_yes_or_no(text: str) -> bool:
    return bool(_YES.match(text)) or opens_with_no(text)


def _is_content(token: str) -> bool:
    return token not in _STOP and not _is_negator(token) and not _DIGIT_TOKEN.match(token)


def _content(text: str) -> set:
    """The stems of `text`'s content words (no stop words, negators or figures)."""
    return {_stem(t) for t in _tokens(text) if _is_content(t)}


_LIMITING = re.compile(r"\b(only|until|except|no longer|free)\b", re.I)


def denial_supported(answer: str, source: str) -> bool:
    """Whether a "No, ..." answer denies what the source denies or limits: some sentence of
    the source with a negation (or only, until, except, free) has the answer's content words,
    all but one in three. "No, we don't deliver to Austria" against a list that names
    Austria finds no such sentence; "No, you can't return it" against "An order can only be
    returned once it has been delivered" does."""
    body = _NO.sub("", answer)
    words = _content(body)
    # Names ("Austria", "PayPal") must be in the denying sentence itself.
    names = {_stem(t) for t in re.findall(r"(?<!^)(?<![.!?] )\b[A-Z][a-zA-Z]+", body.strip())}
    if not words:
        return False
    for sentence in _sentences(source):
        tokens = _tokens(sentence)
        if not (any(_is_negator(t) for t in tokens) or _LIMITING.search(sentence)):
            continue
        stems = {_stem(t) for t in tokens}
        if names <= stems and len(words - stems) <= len(words) // 3:
            return True
    return False


# Situations and order states a rule often turns on ("free if faulty", "refunded once lost",
# "can't be cancelled once shipped"), as stems; a cracked item is a faulty one.
_SITUATIONS = frozenset({"faulty", "wrong", "lost", "lat", "miss", "ship", "pack"})
_SITUATION_WORDS = {"crack": "faulty"}
_CONDITIONAL = re.compile(r"\b(if|when|unless|only|except|once|until|as long as)\b", re.I)


def situations_left_out(answer: str, source: str, question: str) -> List[str]:
    """The customer's situations (a broken item, a wrong one, a lost parcel, a shipped
    order) that the source makes a condition of and the answer ignores: "Yes, you pay the
    return postage" to "my blender arrived broken, do I pay the return postage?" when
    returns are free if faulty."""
    asked = {_SITUATION_WORDS.get(w, w) for w in _content(question)} & _SITUATIONS
    said = _content(answer)
    conditional = set()
    for sentence in _sentences(source):
        if _CONDITIONAL.search(sentence):
            conditional |= _content(sentence) & _SITUATIONS
    return sorted((asked & conditional) - said)


def addresses_question(answer: str, question: str) -> bool:
    """Whether a Yes or No answer is about what was asked: it shares a content word with
    the question ("No, we don't offer cash on delivery" to "can I pay with amex?" doesn't)."""
    asked = _content(question)
    return not asked or bool(asked & _content(answer))


def unsupported_words(answer: str, source: str, question: str = "") -> List[str]:
    """The answer's content words that neither the source nor the question uses (stemmed):
    a one-sentence answer built from them says what they don't ("not refundable")."""
    known = {_stem(t) for t in _tokens(f"{source} {question}")}
    return [t for t in _tokens(answer) if _is_content(t) and _stem(t) not in known]


def _sentences(text: str) -> List[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def _clauses(sentence: str) -> List[str]:
    return [c for c in _CLAUSE.split(sentence) if c and re.search(r"\w", c)]


@dataclass
class _Clause:
    text: str
    concepts: List[Tuple[str, bool]]
    sentence: int


@dataclass
class _SourceInfo:
    lower: str
    numbers: set
    dates: set
    codes: set
    words: set
    units: Dict[str, set]
    anchors: Dict[Tuple[str, str], List[FrozenSet[str]]]
    sentences: List[str]
    sentence_concepts: List[set]
    sentence_polarised: List[List[Tuple[str, bool]]]
    only_segments: List[Tuple[set, set]]
    two_way: set
    df: Dict[str, int]
    exclusions: List[Tuple[set, set]]
    refused: List[Tuple[FrozenSet[str], FrozenSet[str]]]  # what the source says isn't offered
    denied: List[set]  # per sentence: what it denies outside a conditional clause
    not_free: List[int]  # sentences that say something is not free
    clauses: List[_Clause]
    concepts: set
    fact_sentences: Dict[Tuple[str, str], List[int]]


@lru_cache(maxsize=256)
def _source_info(source: str) -> _SourceInfo:
    text = source
    codes = _codes(text)
    plain = _CODE.sub(" ", _URL.sub(" ", _EMAIL.sub(" ", text)))
    units: Dict[str, set] = {}
    anchors: Dict[Tuple[str, str], List[FrozenSet[str]]] = {}
    for value, unit, anchor, _surface in _quantities(_strip_dates(plain)):
        units.setdefault(value, set()).add(unit)
        if anchor:
            anchors.setdefault((value, unit), []).append(anchor)
    sentences = _sentences(text)
    clauses, sentence_concepts, sentence_polarised, fact_sentences = [], [], [], {}
    only_segments, exclusions = [], []
    for index, sentence in enumerate(sentences):
        sentence_polarised.append(_polarised(sentence))
        sentence_concepts.append({c for c, _ in sentence_polarised[-1]})
        for clause in _clauses(sentence):
            clauses.append(_Clause(clause, _polarised(clause), index))
        for value, unit, _anchor, _surface in _quantity_facts(sentence):
            fact_sentences.setdefault((value, unit), []).append(index)
        for m in re.finditer(r"\bonly\b", sentence, re.I):
            only_segments.append(_only_segment(sentence, m.end()))
        for clause in _coarse_clauses(sentence):
            m = _EXCLUSION.search(clause)
            if m:
                subject = set(_polarised(clause[: m.start()]))
                target = set(_polarised(m.group("target")))
                shared = {c for c, _ in subject} & {c for c, _ in target}
                exclusions.append(
                    (
                        {(c, n) for c, n in subject if c not in shared and not c.startswith("#")},
                        {c for c, _ in target if c not in shared and not c.startswith("#")},
                    )
                )
    refused = [item for sentence in sentences for item in _refused_items(sentence)]
    denied: List[set] = [set() for _ in sentences]
    for clause in clauses:
        if not _CONDITIONAL_CLAUSE.match(clause.text):
            denied[clause.sentence] |= {c for c, neg in clause.concepts if neg}
    polarities: Dict[str, set] = {}
    for clause in clauses:
        for concept, negated in clause.concepts:
            polarities.setdefault(concept, set()).add(negated)
    return _SourceInfo(
        lower=text.lower(),
        numbers=_numbers(_strip_dates(plain)) | {str(d) for _, d in _dates(plain)},
        dates=_dates(plain),
        codes=codes,
        words=set(_tokens(text)),
        units=units,
        anchors=anchors,
        sentences=sentences,
        sentence_concepts=sentence_concepts,
        sentence_polarised=sentence_polarised,
        only_segments=only_segments,
        two_way={c for c, p in polarities.items() if len(p) == 2},
        exclusions=exclusions,
        refused=refused,
        not_free=[i for i, sentence in enumerate(sentences) if _NOT_FREE.search(sentence)],
        denied=denied,
        df={c: sum(c in sc for sc in sentence_concepts) for c in set().union(*sentence_concepts)}
        if sentence_concepts
        else {},
        clauses=clauses,
        concepts=set().union(*sentence_concepts) if sentence_concepts else set(),
        fact_sentences=fact_sentences,
    )


def clear_cache() -> None:
    """Forgets the analysed sources (for benchmarks)."""
    _source_info.cache_clear()


# Ways to pay, be paid back or be reached that an answer may not add to the source's.
_TERMS = re.compile(
    r"\b(gift cards?|store credit|vouchers?|coupons?|discount codes?|promo codes?|"
    r"loyalty points|bank transfer|cash on delivery|cheque|check by mail|live chat|"
    r"whatsapp|text message|sms|callback|call you back|pick ?up from your home|home pickup|"
    r"free pickup|courier pickup)\b",
    re.I,
)

# --- language ----------------------------------------------------------------------------

_PROFILES = {
    "en": set(
        "the a an you your is are can we to of and in for it on be with our will or not "
        "yes no if days day have has this that from after within at by per under all us "
        "get my me do does there what how when which only also".split()
    ),
    "de": set(
        "der die das und ist sie ihr ihre wir nicht ein eine mit von zu für auf den dem "
        "innerhalb tagen nach können kann ja nein bitte".split()
    ),
    "fr": set(
        "le la les et est vous votre nous ne pas un une avec de du des pour sur dans "
        "jours oui non elle il à partir".split()
    ),
    "es": set(
        "el la los las y es usted su nosotros no un una con de del para en días sí "
        "enviamos países total por".split()
    ),
}


def detect_language(text: str) -> str:
    """A best guess among the profiled languages ('zh' for Chinese script, '' if unsure)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return ""
    cjk = sum("\u4e00" <= ch <= "\u9fff" or "\u3040" <= ch <= "\u30ff" for ch in letters)
    if cjk / len(letters) > 0.3:
        return "zh"
    words = re.findall(r"[^\W\d_]+", text.lower())
    hits = {lang: sum(w in profile for w in words) for lang, profile in _PROFILES.items()}
    best = max(hits, key=lambda lang: (hits[lang], lang == "en"))
    return best if hits[best] else ""


def looks_english(text: str) -> bool:
    text = _CODE.sub(" ", _URL.sub(" ", _EMAIL.sub(" ", text)))
    letters = sum(ch.isalpha() for ch in text)
    if letters == 0:
        return True  # only a number, an address or a code: nothing to judge
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    if latin / letters < 0.9:
        return False
    return detect_language(text) in {"en", ""}


# Checks by language code; add "de", "fr", "es", "zh" when the replies are translated.
LANGUAGE_CHECKS: Dict[str, Callable[[str], bool]] = {"en": looks_english}

# --- instructions and injections -------------------------------------------------------

_LEAKS = (
    "using only the facts",
    "only the facts given",
    "the facts given",
    "facts:",
    "question:",
    "system prompt",
    "my instructions",
    "you are the customer-service assistant",
    "as an ai language model",
    "reply exactly",
    "developer mode",
    "ignore previous instructions",
    "ignore your previous instructions",
    "ignore all previous instructions",
)


@lru_cache(maxsize=1)
def _prompt_ngrams() -> FrozenSet[Tuple[str, ...]]:
    from shopassist.generation import prompts

    grams = set()
    for text in (
        prompts.KNOWLEDGE_SYSTEM,
        prompts.REPHRASE_SYSTEM,
        prompts.LEAD_SYSTEM,
        prompts.TONE_SYSTEM,
        prompts.SUMMARY_SYSTEM,
        prompts.COPY_SYSTEM,
    ):
        words = re.findall(r"[a-z']+", text.lower())
        grams.update(tuple(words[i : i + 5]) for i in range(len(words) - 4))
    return frozenset(grams)


def _leaks(text: str) -> List[str]:
    lowered = text.lower()
    found = [p for p in _LEAKS if p in lowered]
    words = re.findall(r"[a-z']+", lowered)
    grams = _prompt_ngrams()
    for i in range(len(words) - 4):
        if tuple(words[i : i + 5]) in grams:
            found.append(" ".join(words[i : i + 5]))
            break
    return found


# The assistant saying it did something: it answers questions and never acts in a reply.
_ACTION_CLAIM = re.compile(
    r"\b(?:i|we)(?:'ve| have| just| already)* (?:refunded|cancell?ed|deleted|applied|"
    r"processed|approved|issued|credited|merged|removed|added|reset|escalated|arranged|"
    r"booked|scheduled|upgraded|waived|changed|updated)\b|\b(?:has|have) been (approved|applied|"
    r"waived|credited|upgraded|granted)\b|\b(?:discount|coupon|voucher|credit) (?:has been )?"
    r"(?:applied|added|granted)\b|^\s*done\b",
    re.I,
)

# --- the check ---------------------------------------------------------------------------


@dataclass
class Verdict:
    ok: bool
    problems: List[str] = field(default_factory=list)


_UNIT_CONCEPTS = frozenset(
    {"day", "busines", "hour", "minut", "week", "month", "year", "work", "per", "cent"}
)


def _overlap(
    a: Sequence[Tuple[str, bool]],
    b: Sequence[Tuple[str, bool]],
    skip: str,
    df: Dict[str, int] | None = None,
) -> float:
    """Shared concepts, each weighted by its rarity among the source's sentences (a word in
    every sentence tells little), half as much with the other polarity, units 1/4."""
    bset = {c for c, _ in b}
    bpol = set(b)
    score = 0.0
    for c, neg in set(a):
        if c == skip or c not in bset:
            continue
        weight = 0.25 if c in _UNIT_CONCEPTS else 1.0
        if df:
            weight /= max(1, df.get(c, 1)) ** 0.5
        score += weight if (c, neg) in bpol else weight / 2
    return score


# "the free shipping from $50 does not apply to express delivery": an exclusion.
_EXCLUSION = re.compile(
    r"\b(?:does not|doesn't|do not|don't|is not|isn't|are not|aren't|cannot|can't|never)\s+"
    r"(?:apply|applies|count|counts|cover|covers|include|includes)\s+(?:to|for)\s+(?P<target>.+)",
    re.I,
)


# "The shop doesn't offer cash on delivery, bank transfer, buy now pay later or payment by
# invoice": a negated verb of offering governs the whole list after it, where the word-level
# polarity above only reaches its first word.
_REFUSAL = re.compile(
    r"\b(?:does not|doesn't|do not|don't|cannot|can't|won't|will not|never|no longer)\s+"
    r"(?P<verb>offer|accept|take|support|allow|provide|sell|ship|deliver|keep|store|open)\w*\s+"
    r"(?:to\s+|on\s+)?(?P<items>[^.;:!?]+)",
    re.I,
)
# Verbs of availability: "doesn't offer cash on delivery" denies cash on delivery however the
# answer phrases it. Other verbs deny the pair: "never sells your data" says nothing against
# "uses your data to handle orders".
_AVAILABILITY = frozenset({"offer", "accept", "take", "support", "allow", "provide"})
_LIST_SPLIT = re.compile(r",|\bor\b|\band\b|\bnor\b", re.I)
_LIST_END = re.compile(r"\b(?:only|but|so|because|as|since|unless|until|when|if)\b", re.I)
_OPEN_ITEM = re.compile(r"\b(?:other|else)\b", re.I)  # "any other country": not a listed thing


def _refused_items(sentence: str) -> List[Tuple[FrozenSet[str], FrozenSet[str]]]:
    """(what the answer must also say, the refused thing) for each item of a refused list."""
    items = []
    for m in _REFUSAL.finditer(sentence):
        verb = m.group("verb").lower()
        needs = frozenset() if verb in _AVAILABILITY else frozenset({_stem(verb)})
        listed = _LIST_END.split(m.group("items"))[0]
        for part in _LIST_SPLIT.split(listed):
            if _OPEN_ITEM.search(part):
                continue
            concepts = frozenset(c for c, _ in _polarised(part) if not c.startswith("#"))
            if concepts:
                items.append((needs, concepts))
    return items


def _refusal_problems(clause: str, info: _SourceInfo) -> List[str]:
    """Something the source says the shop doesn't offer is not offered in a clause that
    says nothing negative."""
    if any(_is_negator(t) for t in _tokens(clause)):
        return []
    concepts = {c for c, _ in _polarised(clause)}
    return [
        f"contradicts the source: not {' '.join(sorted(item))}"
        for needs, item in info.refused
        if item <= concepts and needs <= concepts
    ]


_CONDITIONAL_CLAUSE = re.compile(
    r"\s*(?:and |or |but )?(?:otherwise|unless|until|before|as long as|if|when|once|while)\b", re.I
)


def _exclusion_problems(clause: str, info: _SourceInfo) -> List[str]:
    """What the source excludes from something is not said of it."""
    if any(_is_negator(t) for t in _tokens(clause)):
        return []
    pol = set(_polarised(clause))
    names = {c for c, _ in pol}
    for subject, target in info.exclusions:
        if not subject:
            continue
        rarest = min(info.df.get(c, 1) for c, _ in subject)
        hit_subject = pol & {(c, n) for c, n in subject if info.df.get(c, 1) == rarest}
        rarest_target = min(info.df.get(c, 1) for c in target) if target else 0
        hit_target = names & {c for c in target if info.df.get(c, 1) == rarest_target}
        if hit_subject and hit_target:
            said = " ".join(sorted(c for c, _ in hit_subject))
            return [
                f"contradicts the source: {said} does not apply to {' '.join(sorted(hit_target))}"
            ]
    return []


MIN_ALIGNMENT = 1.0  # rarity-weighted shared words a contradicting source clause needs
AGREEMENT_MARGIN = 1.15  # ... and how far ahead of the best agreeing clause it must be


def _polarity_problems(
    clause: Sequence[Tuple[str, bool]], info: _SourceInfo, context: Sequence[Tuple[str, bool]]
) -> List[str]:
    """Each word keeps the polarity it has in the source clauses most like this clause."""
    problems = []
    for concept, negated in dict.fromkeys(clause):
        if concept.startswith("#"):
            continue
        scored = []
        for src in info.clauses:
            polarities = {neg for c, neg in src.concepts if c == concept}
            if not polarities or _CONDITIONAL_CLAUSE.match(src.text):
                continue  # "otherwise not", "until it is packed": true only under a condition
            if negated in {neg for c, neg in info.sentence_polarised[src.sentence] if c == concept}:
                polarities = polarities | {negated}  # the sentence says it both ways
            whole = info.sentence_polarised[src.sentence]
            df = info.df
            score = _overlap(clause, src.concepts, concept, df)
            score += _overlap(clause, whole, concept, df)
            score += 0.5 * _overlap(context, whole, concept, df)
            scored.append((score, polarities))
        if not scored:
            continue
        agree = max((s for s, p in scored if negated in p), default=0.0)
        disagree = max((s for s, p in scored if negated not in p), default=0.0)
        # a contradiction needs a clear best match: some overlap, and ahead of any match
        # that agrees by a margin (a near tie is a paraphrase of another sentence)
        if disagree >= MIN_ALIGNMENT - 1e-9 and disagree > agree * AGREEMENT_MARGIN + 1e-9:
            word = f"not {concept}" if negated else concept
            problems.append(f"contradicts the source: {word}")
    return problems


def _condition_words(text: str) -> set:
    """The content words of the conditions in `text` ("if ...", "only ...", "for orders ...")."""
    words = set()
    for m in _CONDITION.finditer(text):
        rest = re.split(r"[;:.]", text[m.end() :])[0]
        words.update(c for c, _ in _polarised(rest)[:6])
    return words


def _restriction_problems(
    text: str, concepts: Sequence[Tuple[str, bool]], info: _SourceInfo
) -> List[str]:
    """What the source allows "only" (under a condition, to one thing) stays that narrow."""
    names = {c for c, _ in concepts if not c.startswith("#")}
    negated = {c for c, neg in concepts if neg}
    narrow = bool(re.search(r"\b(only|just)\b", text, re.I))  # the answer keeps an "only"
    specific = {c for c in names if info.df.get(c, 0) <= max(1, len(info.sentences) // 4)}
    loose = {c for c in names if info.df.get(c, 0) <= max(2, len(info.sentences) // 4)}
    for head, cond, kind in info.only_segments:
        if kind == "condition":  # "can only be returned if they are faulty"
            shared = names & head
            if len(shared) < 2 or shared & negated or not shared & specific:
                continue  # not this claim, or the answer denies it ("can't be returned")
            if cond & names:
                continue  # the condition is kept
        elif kind == "action":  # "ShopAssist can only lower quantities"
            shared = names & (head | cond)
            if narrow or len(shared) < 2 or shared & negated or not shared & loose:
                continue
            if not cond & names or cond <= names:
                continue  # another claim, or the same one
        else:  # "only shipping is added at checkout": nothing else is
            if narrow or not head or not head <= names or cond & names or head & negated:
                continue
        return [f"drops a condition: only {' '.join(sorted(cond)[:3])}".rstrip()]
    return []


_AUX = r"\b(?:is|are|was|were|can|could|will|would|be|may|must|has|have|had)\b"


def _only_segment(sentence: str, at: int) -> Tuple[set, set, str]:
    """What "only" restricts in `sentence`: (the claim, its restriction, which kind).

    "condition": "can only be returned if they are faulty" (claim: returned; restriction:
    faulty); "action": "ShopAssist can only lower quantities" (claim: ShopAssist;
    restriction: lower quantities); "thing": "only shipping is added at checkout" (claim:
    added at checkout; restriction: shipping).
    """
    start = max(sentence.rfind(";", 0, at), sentence.rfind(":", 0, at)) + 1
    stop = re.search(r"[;:.]", sentence[at:])
    tail = sentence[at : at + stop.start()] if stop else sentence[at:]
    before = sentence[start : at - len("only")]
    # "only if / when / once ...", or "only with / for ..." right after "only"
    marker = re.search(r"\b(if|when|once|while|after|before|until)\b", tail, re.I) or re.match(
        r"\s*(with|for)\b", tail, re.I
    )
    clause_end = re.search(r",", tail)
    tail = tail[: clause_end.start()] if clause_end and not marker else tail
    if marker:
        head, cond, kind = before + " " + tail[: marker.start()], tail[marker.end() :], "condition"
    elif re.search(_AUX + r"\s*$", before, re.I):
        head, cond, kind = before, tail, "action"
    else:
        aux = re.search(_AUX, tail, re.I)
        if aux:
            head, cond = tail[aux.start() :], tail[: aux.start()]
        else:
            head, cond = before, tail
        kind = "thing"
    head_concepts = {c for c, _ in _polarised(head)}
    return head_concepts, {c for c, _ in _polarised(cond)} - head_concepts, kind


_NOT_FREE = re.compile(r"\b(?:never|not|isn't|aren't|no longer)\s+(?:\w+\s+)?free\b", re.I)


def _quantity_facts(text: str) -> List[Tuple[str, str, FrozenSet[str], str]]:
    facts = _quantities(_strip_dates(text))
    for m in re.finditer(r"\b(?:free|at no cost|free of charge)\b", text, re.I):
        before = _tokens(text[: m.start()])[-2:]
        if not any(_is_negator(t) for t in before):
            facts.append(("0", "$", frozenset(), m.group(0)))
    for m in _EMAIL.finditer(text):
        facts.append((m.group(0).lower().rstrip("."), "email", frozenset(), m.group(0)))
    for month, day in _dates(text):
        facts.append((f"{month}-{day}", "date", frozenset(), f"the date {day}/{month}"))
    return facts


# What a date in an order's facts can be the date of.
_EVENTS = frozenset({"plac", "deliver", "ship", "issu", "due", "estimat", "return", "cancel"})
_SUBORDINATE = re.compile(
    r"\s*(?:even |only |and |or |but )?(?:if|when|once|while|since|because|as long as|"
    r"for|after|before|until|whatever|including)\b",
    re.I,
)


def _binding_problems(text: str, info: _SourceInfo) -> List[str]:
    """Amounts, durations and addresses are said of what the source says them of."""
    problems = []
    segments = [seg for sentence in _sentences(text) for seg in re.split(r"\s*;\s*", sentence)]
    for sentence in segments:
        clauses = _coarse_clauses(sentence)
        facts = [(_quantity_facts(c), c) for c in clauses]
        for qs, clause in facts:
            for value, unit, anchor, surface in qs:
                where = info.fact_sentences.get((value, unit))
                if not where and unit == "day":
                    where = info.fact_sentences.get((value, "bday"))
                if not where:
                    continue
                # the fact's context: its clause and the sentence's clauses without facts
                context = {c for c, _ in _polarised(clause)}
                for q2, other in facts:
                    if not q2 and _SUBORDINATE.match(other):  # "even when it arrived damaged"
                        context |= {c for c, _ in _polarised(other)}
                context = {c for c in context if not c.startswith("#")}
                own = set().union(*(info.sentence_concepts[i] for i in where))
                if unit == "date":  # a date is bound to its event: placed, delivered, due...
                    said = {c for c, _ in _polarised(clause)} & _EVENTS
                    if said and not said & own:
                        problems.append(f"{surface} is not when it was {', '.join(sorted(said))}")
                    continue
                best_own = max(_weight(context & info.sentence_concepts[i], info) for i in where)
                # rivals: sentences with another value of the same kind ("$12.95" for
                # "$4.99"), or that deny the context ("bedding has no warranty period")
                candidates = {
                    i
                    for (v2, u2), rivals in info.fact_sentences.items()
                    if u2 == unit and v2 != value
                    for i in rivals
                }
                own_clause = {c for c, _ in _polarised(clause)}
                candidates |= {i for i, denied in enumerate(info.denied) if denied & own_clause}
                # a sentence that denies the fact itself ("express is never free") wins ties
                denials = set(info.not_free) if (value, unit) == ("0", "$") else set()
                rival = set()
                for i in (candidates | denials) - set(where):
                    words = info.sentence_concepts[i]
                    score = _weight(context & words, info)  # sums of floats: compare with care
                    if score > best_own + 1e-9 or (i in denials and score >= best_own - 1e-9 > 0):
                        rival |= words
                wrong = (context & rival) - own
                if wrong:
                    problems.append(f"{surface} is said of {', '.join(sorted(wrong))}")
                    continue
                known = info.anchors.get((value, unit)) or info.anchors.get((value, "bday"))
                if anchor and known and not any(anchor & k for k in known):
                    problems.append(f"{surface} counted from {' '.join(sorted(anchor))}")
    return list(dict.fromkeys(problems))


def _weight(concepts: Iterable[str], info: _SourceInfo) -> float:
    """How specific a set of concepts is: rare ones weigh more, units little."""
    total = 0.0
    for c in concepts:
        if c.startswith("#"):
            continue
        w = 0.25 if c in _UNIT_CONCEPTS else 1.0
        total += w / max(1, info.df.get(c, 1)) ** 0.5
    return total


_COARSE = re.compile(r"\s*[,;:()]\s*|\s+[-–—]\s+|\s+(?=\b(?:but|so|whereas|otherwise)\b)", re.I)


def _coarse_clauses(sentence: str) -> List[str]:
    return [c for c in _COARSE.split(sentence) if c and re.search(r"\w", c)]


def _names(text: str, info: _SourceInfo) -> List[str]:
    """Proper names (capitalised inside a sentence, or CamelCase / ALLCAPS) not in the source."""
    found = []
    for sentence in _sentences(text):
        for i, m in enumerate(re.finditer(r"\b[A-Za-z][\w'-]*\b", sentence)):
            word = m.group(0)
            if any(ch.isdigit() for ch in word) or word.lower() in _MONTHS:
                continue  # numbers and dates are checked as facts
            if _WEEKDAY.fullmatch(word):
                continue
            inner = word[1:]
            camel = any(ch.isupper() for ch in inner) and any(ch.islower() for ch in inner)
            caps = word.isupper() and len(word) >= 2 and word not in {"OK", "PDF"}
            if (i > 0 and word[0].isupper() and word != "I") or camel or caps:
                if word.lower() in info.words:  # as the source writes it ("Chef's")
                    continue
                parts = [w for w in re.split(r"[-']", word.lower()) if w]
                if any(w not in info.words and w not in _STOP for w in parts):
                    found.append(word)
    return found


def _unsupported_claims(
    text: str, info: _SourceInfo, question_concepts: set, question_lower: str
) -> List[str]:
    """Clauses with several content words the source lacks; names it lacks, unless denied."""
    problems = []
    for sentence in _sentences(text):
        for clause in _clauses(sentence):
            pol = _polarised(clause)
            denied = any(_is_negator(t) for t in _tokens(clause))
            novel = []
            for concept, _neg in pol:
                if concept.startswith("#") or concept in info.concepts:
                    continue
                if concept in question_concepts and denied:
                    continue
                novel.append(concept)
            novel = list(dict.fromkeys(novel))
            from_question = [c for c in novel if c in question_concepts]
            weight = len(novel) - 0.5 * len(from_question)
            content = len({c for c, _ in pol if not c.startswith("#")})
            if weight >= 2 and (weight / max(content, 1)) >= 0.3:
                problems.append(f"unsupported claim: {' '.join(novel[:4])}")
        denied_sentence = any(_is_negator(t) for t in _tokens(sentence))
        for m in _TERMS.finditer(sentence):
            if m.group(0).lower().rstrip("s") not in info.lower and not denied_sentence:
                problems.append(f"unsupported claim: {m.group(0)}")
        for name in _names(sentence, info):
            if name.lower() in question_lower and denied_sentence:
                continue
            problems.append(f"unsupported name: {name}")
    return list(dict.fromkeys(problems))


def _universal_problems(clause: str, info: _SourceInfo) -> List[str]:
    """No "always", "any time", "every" where the most similar source sentence has none."""
    m = _UNIVERSAL.search(clause)
    if not m:
        return []
    names = {c for c, _ in _polarised(clause) if not c.startswith("#")}
    if not names:
        return []
    scores = [_weight(names & sc, info) for sc in info.sentence_concepts]
    best = max(scores, default=0.0)
    if best == 0:
        return []
    for score, sentence in zip(scores, info.sentences):
        if score >= 0.6 * best and _UNIVERSAL.search(sentence):
            return []  # a source sentence about the same thing says "every" too
    return [f"overgeneralises: {m.group(0)}"]


def _dropped_condition(
    sentence: str, concepts: Sequence[Tuple[str, bool]], info: _SourceInfo, question: str
) -> List[str]:
    """A claim the source makes both ways ("costs $6.95" / "is free") keeps its condition."""
    if _CONDITION.search(sentence):
        return []
    own = {c for c, _ in concepts}
    asked = {c for c, _ in _polarised(question)}
    problems = []
    for concept, negated in dict.fromkeys(concepts):
        if concept.startswith("#") or concept not in info.two_way:
            continue
        holders = [c for c in info.clauses if (concept, negated) in c.concepts]
        conditions = []
        for clause in holders:
            sentence_text = info.sentences[clause.sentence]
            at = max(0, sentence_text.find(clause.text))
            after = re.split(r"[;:]", sentence_text[at:])[0]
            before = re.split(r"[;:]", sentence_text[:at])[-1]
            m = _CONDITION.search(after)
            m_before = _CONDITION.search(before)
            if not m and not m_before:
                break
            cond = _condition_words(after[m.start() :] if m else before[m_before.start() :])
            if cond & (own | asked):
                break
            conditions.append(cond)
        else:
            if holders:
                problems.append(f"drops a condition: {'not ' if negated else ''}{concept}")
    return problems


# Pleasantries an LLM adds around an answer: no claim in them, nothing to check.
_COURTESY = re.compile(
    r"(?:^|(?<=[.!?])\s*)(?:great question|good question|thanks for asking|thank you for "
    r"(?:asking|your question|reaching out)|happy to help|glad to help|i hope (?:this|that) "
    r"helps|hope (?:this|that) helps|let me know if|feel free to|don't hesitate to|if you have "
    r"any (?:other|more|further) questions|is there anything else)[^.!?]*[.!?]*",
    re.I,
)


_CAPABILITY = re.compile(
    r"\b(?P<actor>shopassist|i|we|you)(?:\s+(?:can|could|may|will)|'ll)\s+(?P<rest>[\w' ]+)",
    re.I,
)


def _capability_problems(text: str, info: _SourceInfo) -> List[str]:
    """What someone "can" do is something the source says can be done, by that someone when
    it is the assistant ("ShopAssist can reissue the invoice" needs a source saying so)."""
    problems = []
    for m in _CAPABILITY.finditer(text):
        concepts = _polarised(m.group("rest"))
        if not concepts or concepts[0][1]:
            continue
        verb = concepts[0][0]
        if verb.startswith("#"):
            continue
        if verb not in info.concepts:
            problems.append(f"unsupported action: {m.group('actor')} can {verb}")
        elif m.group("actor").lower() in {"shopassist", "i"} and not any(
            "shopass" in words and verb in words for words in info.sentence_concepts
        ):
            problems.append(f"unsupported action: ShopAssist can {verb}")
    return problems


# Thresholds: "more than 5 days", "$50 or more", "within 30 days", "at least 8 characters".
_THRESHOLD = re.compile(
    r"\b(?P<op>more than|over|at least|from|within(?: (?:those|the))?|up to|less than|under)\s+"
    r"(?P<cur>\$)?(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>business days?|days?|hours?|weeks?|"
    r"months?|characters?)?|(?P<cur2>\$)(?P<num2>\d+(?:\.\d+)?) or more",
    re.I,
)


def _thresholds(text: str) -> List[Tuple[str, float, str, int]]:
    """(operator, value, unit, offset) of each threshold in `text`."""
    out = []
    for m in _THRESHOLD.finditer(text):
        if m.group("num2"):
            out.append(("at least", float(m.group("num2")), "$", m.start()))
            continue
        unit = "$" if m.group("cur") else _UNITS.get((m.group("unit") or "").lower(), "")
        if unit:
            op = "within" if m.group("op").lower().startswith("within") else m.group("op").lower()
            out.append((op, float(m.group("num")), unit, m.start()))
    return out


def _threshold_problems(answer: str, question: str, info: _SourceInfo) -> List[str]:
    """A "Yes" to a customer's own figure ("3 days late, is it lost?") that misses the
    source's threshold for it ("more than 5 days")."""
    if not _YES.match(answer):
        return []
    asked = [
        (float(_value(value)), unit)
        for value, unit, _anchor, _surface in _quantities(question)
        if re.fullmatch(r"\d+(?:\.\d+)?", _value(value))
    ]
    if not asked:
        return []
    topic = {c for c, _ in _polarised(question + " " + answer) if not c.startswith("#")}
    best, segment = 0.0, ""
    for sentence in info.sentences:
        for part in re.split(r"\s*;\s*", sentence):
            score = _weight(topic & {c for c, _ in _polarised(part)}, info)
            if score > best and _thresholds(part):
                best, segment = score, part
    for value, unit in asked:
        for op, limit, their_unit, _ in _thresholds(segment):
            if their_unit != unit and {their_unit, unit} != {"day", "bday"}:
                continue
            meets = {
                "more than": value > limit,
                "over": value > limit,
                "at least": value >= limit,
                "from": value >= limit,
                "within": value <= limit,
                "up to": value <= limit,
                "less than": value < limit,
                "under": value < limit,
            }[op]
            if not meets:
                return [f"the customer's {value:g} {unit} does not meet: {op} {limit:g}"]
    return []


# A comparison is a claim too: "faster than", "cheaper than" must be in the source.
_COMPARISON = re.compile(r"\b(\w+er|more \w+|less \w+)\s+than\b", re.I)


def check_answer(
    answer: str,
    source: str,
    sensitive_names: Iterable[str] = (),
    question: str = "",
    language: str = "en",
) -> Verdict:
    """Whether `answer` may be sent as a reply to `question` built from `source`.

    `question` (the customer's words) lets a "Yes" be checked as the claim it affirms and
    lets the answer name what the customer named when it denies it; it is never a source
    of facts. `language` picks the check of `LANGUAGE_CHECKS` (none for an unknown code).
    """
    problems: List[str] = []
    text = answer.strip()
    if not (MIN_ANSWER_CHARS <= len(text) <= MAX_ANSWER_CHARS):
        problems.append(f"length {len(text)}")
    check_language = LANGUAGE_CHECKS.get(language)
    if check_language is not None and text and not check_language(text):
        problems.append("not English" if language == "en" else f"not {language}")
    problems += [f"leak: {p}" for p in _leaks(text)]
    action = _ACTION_CLAIM.search(text)
    if action:
        problems.append(f"claims an action: {action.group(0).strip()}")
    problems += [
        f"unsupported: {fact}" for fact in unsupported_facts(text, source, sensitive_names)
    ]
    if problems:
        return Verdict(False, problems)

    info = _source_info(source)
    question = question or ""
    question_pol = _polarised(question)
    text = _COURTESY.sub(" ", text).strip() or text
    problems += _binding_problems(text, info)
    for sentence in _sentences(text):
        for clause in _clauses(_YES.sub("", sentence)):
            if not _CONDITIONAL_CLAUSE.match(clause):  # "as long as it hasn't been packed"
                problems += _polarity_problems(_polarised(clause), info, question_pol)
        for clause in _coarse_clauses(sentence):
            problems += _universal_problems(clause, info)
            problems += _exclusion_problems(_YES.sub("", clause), info)
            problems += _refusal_problems(_YES.sub("", clause), info)
        sentence_pol = _polarised(sentence)
        problems += _restriction_problems(sentence, sentence_pol, info)
        problems += _dropped_condition(sentence, sentence_pol, info, question)
    asked = _YESNO_QUESTION.search(question)
    if _YES.match(text) and asked:  # "Yes" affirms the question: check it as a claim
        claim = _polarised(asked.group(0))
        problems += _polarity_problems(claim, info, _polarised(_YES.sub("", text)))
        problems += _restriction_problems(
            asked.group(0) + " " + text, claim + _polarised(text), info
        )
    problems += _capability_problems(text, info)
    problems += _threshold_problems(text, question, info)
    for m in _COMPARISON.finditer(text):
        if not re.search(r"\b" + re.escape(m.group(0).lower()), info.lower):
            problems.append(f"unsupported comparison: {m.group(0)}")
    problems += _unsupported_claims(text, info, {c for c, _ in question_pol}, question.lower())
    problems = list(dict.fromkeys(problems))
    return Verdict(not problems, problems)


_DONT_KNOW = re.compile(
    r"\b(i don't know|i do not know|i'm not sure|i am not sure|i'm unable|i am unable|"
    r"i cannot (?:answer|provide|help)|can't answer|not (?:mentioned|stated|specified) in)",
    re.IGNORECASE,
)


def says_dont_know(answer: str) -> bool:
    return bool(_DONT_KNOW.search(answer))
