"""Acknowledges a customer's feeling before the facts, when their message was negative."""

ACKNOWLEDGEMENT = "I'm sorry for the trouble, I understand this is frustrating."


def acknowledge(text: str, sentiment: str | None) -> str:
    if sentiment != "negative" or text.startswith(ACKNOWLEDGEMENT):
        return text
    return f"{ACKNOWLEDGEMENT} {text}"
