"""The statistical language detector: lingua, built once per process on first use.

It knows the five served languages and CHECKED, ten unserved languages written in Latin
letters that it would otherwise read as a served one (Portuguese as Spanish, Polish as
English): knowing them costs no accuracy on the served five (the same 98.8% on messages of
three words or more) but about 240 MB more memory (bench/BENCHMARKS.md, *Language
identification*). Its models ship inside the wheel: nothing is downloaded.
"""

from __future__ import annotations

import threading
from typing import Dict

SUPPORTED = ("en", "de", "fr", "es", "zh")
CHECKED = ("it", "pt", "nl", "pl", "tr", "sv", "da", "ro", "cs", "id")
PACKAGE = "lingua-language-detector"

_detector = None
_lock = threading.Lock()


def _build():
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError as error:  # pragma: no cover - the package is a pinned requirement
        raise ImportError(
            f"language detection needs the package {PACKAGE} (requirements.txt): "
            f"pip install -r requirements.txt"
        ) from error
    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED + CHECKED]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detector():
    """The process's one detector (built on the first call, ~2-5 s with its models)."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                _detector = _build()
    return _detector


def confidences(text: str) -> Dict[str, float]:
    """Each known language's share of the evidence (they add up to 1; empty without letters)."""
    values = detector().compute_language_confidence_values(text)
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values if v.value > 0}
