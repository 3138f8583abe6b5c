"""Is a message a general question about a rule, or a request to act?

"Will returning a broken blender cost me anything?" and "can I send back shoes I wore
once" ask how the shop's rules work: the customer wants the answer first, and may then
choose to act. "I want to return order 100235", "please cancel my order" and "can you
change the address" ask the assistant to act now. The intent classifier reads both as
`start_return` or `cancel_order` (the words are the same); the phrasing tells them apart.

The test is deliberately plain and conservative (a request read as a question costs the
customer one click on the offered button; a question read as a request drops them into a
form that asks for an order number they may not have):

- a message naming an order number or an e-mail address is a request about that order;
- a message that asks the assistant to do something ("can you ...", "please ...",
  "I want to ...", "I'd like to ...") is a request;
- otherwise it is a question if it has a question mark, says the customer wants to know,
  or one of its clauses opens like a question ("how", "can I", "will it", "is there", ...).
"""

from __future__ import annotations

import re

from shopassist.store.identifiers import EMAIL_IN_TEXT

# Opening words of a question (English). A leading "so", "and", "hi", "hey", "hello" or
# "ok" is skipped first, as customers often open with one.
_QUESTION_OPENINGS = re.compile(
    r"^(?:how|what|whats|what's|when|where|which|why|who|whom|is|isn't|isnt|are|aren't|"
    r"does|do|did|will|won't|would|should|shall|may|might|must|am|if|any|"
    r"can\s+(?:i|we|u|one|you\s+still)\b|could\s+(?:i|we)\b|"
    r"is\s+it|are\s+there|is\s+there)\b"
)
_FILLERS = re.compile(r"^(?:(?:so|and|but|also|hi|hey|hello|ok|okay|quick question|question)\W+)+")
# Asking the assistant to act, or saying what the customer wants done.
_REQUESTS = re.compile(
    r"\b(?:can|could|would)\s+(?:you|u|ya)\b(?!\s+still\b)|\bplease\b|\bpls\b|\bplz\b|"
    r"\bi\s*(?:'d|would|wanna|want|need|wish|am\s+trying|'m\s+trying|im\s+trying)\b|\bid\s+like\b|"
    r"\bhelp\s+me\b|\blet\s+me\b|\bi'?ll\b|\bgo\s+ahead\b|\bstart\s+(?:a|the|my)\b"
)
# ... unless what they want is to know: "I'd like to know if I can return opened items".
_WONDERING = re.compile(r"\b(?:to\s+know|wondering|wonder|curious|to\s+ask|to\s+check\s+if)\b")
_CLAUSES = re.compile(r"[,.;:!?()\n]+")
# Five digits or more: a mistyped order number still names the customer's own order.
_ORDER_NUMBER = re.compile(r"\b\d{5,}\b")


def names_an_order(text: str) -> bool:
    return bool(_ORDER_NUMBER.search(text) or EMAIL_IN_TEXT.search(text))


def is_request(text: str) -> bool:
    text = text.lower()
    return bool(_REQUESTS.search(text)) and not _WONDERING.search(text)


def is_general_question(text: str) -> bool:
    """True for a question about how the shop's rules work, as opposed to a request to act."""
    text = " ".join((text or "").lower().split())
    if not text or names_an_order(text) or is_request(text):
        return False
    if "?" in text or _WONDERING.search(text):
        return True
    # "the blender came broken, will returning it cost me anything": any clause may ask.
    clauses = (_FILLERS.sub("", c.strip()) for c in _CLAUSES.split(text))
    return any(_QUESTION_OPENINGS.match(c) for c in clauses if c)
