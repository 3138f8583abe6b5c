"""What a product request asks for besides its words: a price range and stock.

"wireless headphones under 100 dollars" -> max $100, words "wireless headphones".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_AMOUNT = r"(?:\$|usd\s*|€|£)?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:\$|dollars?|bucks|usd|euros?|€|£)?"
_MAX = re.compile(
    r"\b(?:under|below|less than|cheaper than|max(?:imum)?|at most|up to|no more than|"
    r"within|budget(?: of| is)?|for)\s+" + _AMOUNT,
    re.IGNORECASE,
)
_MIN = re.compile(
    r"\b(?:over|above|more than|at least|from|starting at|min(?:imum)?)\s+" + _AMOUNT,
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"\bbetween\s+" + _AMOUNT + r"\s+(?:and|to|-)\s+" + _AMOUNT, re.IGNORECASE)
_RANGE = re.compile(r"(?:\$\s*)(\d+)\s*(?:-|to)\s*\$?\s*(\d+)", re.IGNORECASE)


def _cents(value: str) -> int:
    return int(round(float(value.replace(",", ".")) * 100))


@dataclass(frozen=True)
class ProductQuery:
    words: str  # the request without its price phrases
    min_cents: int | None = None
    max_cents: int | None = None


def parse_query(text: str) -> ProductQuery:
    words = text or ""
    low = high = None
    between = _BETWEEN.search(words) or _RANGE.search(words)
    if between:
        low, high = sorted((_cents(between.group(1)), _cents(between.group(2))))
        words = words.replace(between.group(0), " ")
    else:
        top = _MAX.search(words)
        # "for" only counts with a currency mark: "shoes for running" is not a price.
        if top and not (
            top.group(0).lower().startswith("for")
            and not re.search(r"[$€£]|dollar|buck|euro|usd", top.group(0), re.I)
        ):
            high = _cents(top.group(1))
            words = words.replace(top.group(0), " ")
        bottom = _MIN.search(words)
        if bottom:
            low = _cents(bottom.group(1))
            words = words.replace(bottom.group(0), " ")
    return ProductQuery(re.sub(r"\s+", " ", words).strip(), low, high)
