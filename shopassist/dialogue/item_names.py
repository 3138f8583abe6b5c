"""How many of an answer's words name an order line in the customer's language.

Order lines are shown with the catalog's English names; German, French, Spanish and
Chinese customers answer "which item?" with their own words ("die Schuhe", "les
écouteurs", "la licuadora", "那双鞋"). Those words come from the one table of the product
types' names in each language (shopassist/store/product_names.py); this module reads an
answer against them: articles and demonstratives are dropped, accents are optional, and a
word and its plural are one word ("Schuh"/"Schuhe", "écouteur"/"écouteurs",
"zapato"/"zapatos", "altavoz"/"altavoces"). Chinese has no spaces: a name found anywhere in
the answer counts, the longest one found scoring most ("那双跑鞋" says running shoes more
than "鞋" says any shoe); measure words and demonstratives ("那双", "这个") need no rule.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import FrozenSet, Iterable, Tuple

from shopassist.spellings import fold, without_accents
from shopassist.store.product_names import names_in

# Articles, possessives and demonstratives: never a product's name.
ARTICLES = {
    "de": frozenset(
        "der die das den dem des ein eine einen einem einer eines mein meine meinen meinem "
        "meiner meines dies diese diesen diesem dieser dieses von vom mit".split()
    ),
    "fr": frozenset(
        "le la les l un une des du de d au aux mon ma mes ce cet cette ces celui celle "
        "ceux celles en pour avec a".split()
    ),
    "es": frozenset(
        "el la los las lo un una unos unas mi mis este esta estos estas ese esa esos esas "
        "aquel aquella del de al con para".split()
    ),
}
MIN_STEM = 3  # shorter words are too often something else ("la", "zu", "de")
_HAN = re.compile(r"[\u3400-\u9fff]")


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def words(text: str) -> Tuple[str, ...]:
    """Lower-case words without accents ("Kopfhörer" -> "kopfhorer"; ß is ss)."""
    return tuple(re.findall(r"[a-z0-9]+", fold(text.replace("ß", "ss").lower())))


def stem(word: str, language: str) -> str:
    """The word without its plural (and German case) ending, in `language`."""
    if language == "de":
        for ending in ("en", "e", "n", "s"):
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                return word[: -len(ending)]
    elif language == "fr":
        if word[-1:] in ("s", "x") and len(word) > MIN_STEM + 1:
            return word[:-1]
    elif language == "es":
        # Singular and plural meet on one stem: cable(s) -> cabl, cargador(es) -> cargador,
        # altavoz/altavoces -> altavoc.
        if word.endswith("s") and len(word) > MIN_STEM + 1:
            word = word[:-1]
        if word.endswith("e") and len(word) > MIN_STEM + 1 and word[-2] not in "aeiou":
            word = word[:-1]
        if word.endswith("z"):
            word = word[:-1] + "c"
    return word


def stems(text: str, language: str) -> FrozenSet[str]:
    """The content words of `text` in `language`, each as its stem."""
    articles = ARTICLES.get(language, frozenset())
    return frozenset(
        stem(word, language)
        for word in words(text)
        if word not in articles and not word.isdigit() and len(word) >= MIN_STEM - 1
    )


@lru_cache(maxsize=4096)
def _vocabulary(label: str, language: str) -> Tuple[FrozenSet[str], Tuple[str, ...]]:
    """The stems of every name of the label's product in `language`, and (for Chinese)
    the names themselves, longest first."""
    names = names_in(label, language)
    if language == "zh":
        return frozenset(), tuple(sorted(names, key=len, reverse=True))
    spellings: Iterable[str] = (
        spelling for name in names for spelling in (name, *without_accents(name))
    )
    vocabulary = frozenset().union(*(stems(spelling, language) for spelling in spellings))
    return frozenset(s for s in vocabulary if len(s) >= MIN_STEM), ()


def naming_words(answer: str, label: str, language: str) -> FrozenSet[str]:
    """The answer's words that name the label's product in `language` (none for English)."""
    vocabulary, _ = _vocabulary(label, language)
    return frozenset(w for w in words(answer) if stem(w, language) in vocabulary)


def longest_name(answer: str, label: str, language: str) -> int:
    """The length of the longest Chinese name of the label's product in the answer, else 0."""
    if language != "zh" or not has_han(answer):
        return 0
    _, names = _vocabulary(label, language)
    return next((len(name) for name in names if name.lower() in answer.lower()), 0)
