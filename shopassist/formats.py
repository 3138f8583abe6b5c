"""How the assistant writes a day: one format for every reply ("5 Nov 2026", not "05 Nov")."""

from __future__ import annotations

from datetime import date


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"
