"""Personal data kept out of logs and exported transcripts.

`redact` replaces e-mail addresses, phone numbers, card-number fragments, street addresses
and secrets in URLs (``?token=...``) with labelled placeholders. Patterns, not a list of
known customers: a log line must be safe even when it quotes a stranger's message.

`install_log_redaction` wraps Python's log record factory, so every record of every logger
(Rasa's, Sanic's, the actions') is redacted when it is made, before any handler formats it.
Handler filters would not do: Rasa replaces the root handler (coloredlogs) after reading
its logging configuration. Rasa loads the factory through its `--logging-config-file`
(deploy/logging.yml names `RedactPersonalData` as a filter; building it installs the
factory); the action server and the console call it at start. Python warnings go through
logging too (`logging.captureWarnings`): Rasa warns with the customer's text in it
("Failed to parse arguments in line '/inform{...}'"), which `warnings` printed straight
to stderr, past every log filter.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from typing import Any

from shopassist.store.identifiers import EMAIL_IN_TEXT

EMAIL = "[email]"
PHONE = "[phone]"
CARD = "[card]"
ADDRESS = "[address]"
SECRET = "[secret]"

_EMAIL = EMAIL_IN_TEXT
# 13-19 digits, in groups or not: a whole card number or the long part of one. Checked
# before phones, which are shorter.
_CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")
# "card ending 4242", "last four digits 4242": the fragment shops print.
_CARD_TAIL = re.compile(
    r"(?i)\b(card|visa|mastercard|amex|ending(?: in)?|last (?:4|four)(?: digits)?)"
    r"(\W{1,12})(\d{4})\b"
)
# International or national numbers with at least 9 digits, separators allowed. Order
# numbers (SA-100123) and amounts (129.00) don't match: a letter prefix or fewer digits.
# Dots are not separators here: "0.9876543210" is a confidence, not a number to call; an
# ISO date with a time ("2026-11-24 10") is not one either.
_PHONE = re.compile(r"(?<![\w.-])(?!\d{4}-\d\d-\d\d)(?:\+|00)?\(?\d[\d ()/-]{7,}\d(?![\w.-])")
_STREET_WORDS = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|court|ct|place|pl|square|sq|"
    r"boulevard|blvd|close|crescent|terrace|gardens|hill|park|row|strasse|straße|weg|"
    r"gasse|platz|allee|rue|via|calle"
)
# "12 Baker Street", "Flat 3, 221B Baker St", "Hauptstraße 5" (number after the street).
_ADDRESS = re.compile(
    rf"(?i)\b\d{{1,5}}[a-z]?,?\s+(?:[A-Za-zÀ-ÿ'.-]+\s+){{0,4}}(?:{_STREET_WORDS})\b"
    rf"|\b[A-Za-zÀ-ÿ-]+(?:strasse|straße|weg|gasse|platz|allee)\s+\d{{1,5}}[a-z]?\b"
)
# Stand-ins of the same shape, for text that must stay valid where the data was (a test
# story's entity markup "[x](email)" and slots still need an e-mail there).
SHAPED = {
    EMAIL: "customer@example.com",
    PHONE: "+1 555 0100",
    CARD: "0000",
    ADDRESS: "1 Example Street",
    SECRET: SECRET,
}

_URL_SECRET = re.compile(r"(?i)\b((?:token|auth_token|password|secret|api_key)=)[^&\s\"']+")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")


def _phone(match: re.Match) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return PHONE if digits >= 9 else match.group(0)


def redact(text: Any, shaped: bool = False) -> str:
    """`text` with personal data and secrets replaced by placeholders (`SHAPED` stand-ins
    if `shaped`)."""
    text = str(text)
    if not text:
        return text
    if shaped:
        result = redact(text)
        for label, stand_in in SHAPED.items():
            result = result.replace(label, stand_in)
        return result
    text = _URL_SECRET.sub(lambda m: m.group(1) + SECRET, text)
    text = _BEARER.sub(lambda m: m.group(1) + SECRET, text)
    text = _EMAIL.sub(EMAIL, text)
    text = _CARD.sub(CARD, text)
    text = _CARD_TAIL.sub(lambda m: m.group(1) + m.group(2) + CARD, text)
    text = _ADDRESS.sub(ADDRESS, text)
    return _PHONE.sub(_phone, text)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Replaces the record's message and traceback with redacted text (idempotent)."""
    if getattr(record, "redacted", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: keep what can be shown
        message = f"{record.msg} {record.args}"
    record.msg, record.args = redact(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record.redacted = True
    return record


_lock = threading.Lock()
_installed = False


def install_log_redaction() -> None:
    """Redacts every log record from now on, in this process (safe to call twice)."""
    global _installed
    with _lock:
        if _installed:
            return
        make_record = logging.getLogRecordFactory()

        def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return redact_record(make_record(*args, **kwargs))

        logging.setLogRecordFactory(redacting_factory)
        logging.captureWarnings(True)
        _installed = True


class RedactPersonalData(logging.Filter):
    """A logging filter that redacts records; building it installs the record factory."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        install_log_redaction()

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True
