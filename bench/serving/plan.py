"""What a serving run plays: the configurations, the scripted conversations, the settings
of each mode, the targets printed beside the figures (a run never fails on them) and where
the results go."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Dict, List, Tuple

REPO = Path(__file__).resolve().parents[2]

PG_ADMIN_URL = os.environ.get(
    "SHOPASSIST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ANCHOR = date(2026, 11, 23)  # the shop database's seed anchor, as the tests use it
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1/"

TARGET_P95_MS = 200.0
TARGET_TURNS_PER_S_PER_INSTANCE = 50.0
TARGET_LONG_RATIO = 1.5

UNAVAILABLE_MARK = "temporarily unavailable"  # shopassist.channels.guard's apology

# One conversation of the load, 20 turns, none of them an LLM turn (the generator backend is
# forced to the template one), each understood (no fallback: two in a session hand the
# conversation to a person). {order} and {email}: a real pair from the shop database.
SHOPASSIST_SCRIPT = [
    "hi",
    "where is my order #{order}?",
    "{email}",
    "thanks",
    "what is your return policy?",
    "how long does shipping take?",
    "are you a bot?",
    "what payment methods do you accept?",
    "where is my order #{order}?",
    "great, thank you",
    "how do returns work?",
    "do you ship abroad?",
    "who are you?",
    "hello again",
    "is my order #{order} shipped yet?",
    "thanks a lot",
    "can I pay with paypal?",
    "what are your opening hours?",
    "how are you?",
    "that's all, thanks",
]
# The stock assistant's intents (greet, mood_unhappy, affirm, mood_great, goodbye,
# bot_challenge), 20 turns as well, each answered: its "no" after "Did that help you?" was
# answered with nothing (ShopAssist's REST channel then sends its apology, one more tracker
# read), so the affirm path only.
STOCK_SCRIPT = [
    "hi",
    "I am sad",
    "yes",
    "great",
    "are you a bot?",
    "hello",
    "I am feeling very good",
    "bye",
    "hey there",
    "I'm so sad",
    "indeed",
    "good morning",
    "am I talking to a bot?",
    "I am great",
    "hello there",
    "very sad",
    "of course",
    "wonderful",
    "are you a human?",
    "bye bye",
]
# The long conversation: these cycles repeated, nothing that ends the conversation.
SHOPASSIST_CYCLE = [
    "hi",
    "what is your return policy?",
    "thanks",
    "how long does shipping take?",
    "are you a bot?",
    "what payment methods do you accept?",
    "great, thank you",
    "do you ship abroad?",
    "what are your opening hours?",
    "how are you?",
]
STOCK_CYCLE = [
    "hi",
    "I am sad",
    "yes",
    "great",
    "are you a bot?",
    "hello",
    "I am feeling very good",
    "hey there",
    "I'm so sad",
    "of course",
]


@dataclass(frozen=True)
class Config:
    name: str
    title: str
    assistant: str  # "shopassist" or "stock"
    instances: int  # Rasa servers, and as many action servers
    long_conversation: bool  # the turn-cost-vs-length run (one-instance configurations)


CONFIGS = (
    Config("shopassist-1", "ShopAssist, 1 Rasa + 1 action server", "shopassist", 1, True),
    Config("stock-1", "stock `rasa init`, 1 Rasa (+1 idle action server)", "stock", 1, True),
    Config("shopassist-2", "ShopAssist, 2 Rasa + 2 action servers", "shopassist", 2, False),
    Config("stock-2", "stock `rasa init`, 2 Rasa (+2 idle action servers)", "stock", 2, False),
)
ASSISTANTS = {"shopassist": "ShopAssist", "stock": "stock `rasa init`"}


@dataclass(frozen=True)
class Settings:
    levels: Tuple[int, ...]
    level_seconds: float  # measured part of each level
    ramp_seconds: float  # before it, not counted (locust starts the users staggered over it)
    warmup_seconds: float
    warmup_concurrency: int
    long_turns: int
    timeout: float = 60.0  # per HTTP request

    @staticmethod
    def of(quick: bool) -> Settings:
        if quick:
            return Settings((1, 4), 8.0, 1.0, 4.0, 4, 60)
        return Settings((1, 2, 4, 8, 16), 30.0, 2.0, 10.0, 4, 400)


def results_dir(quick: bool) -> Path:
    return REPO / "results" / "bench" / ("quick" if quick else "serving")


def display(path: Path) -> str:
    """`path` as written down: relative to the repository when inside it."""
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def shop_customers(shop_db: str) -> List[Dict[str, str]]:
    """Every seeded customer with one of their orders: real e-mail/order pairs."""
    from shopassist.store.db import session_scope
    from shopassist.store.models import Customer

    with session_scope(shop_db) as session:
        rows = session.query(Customer).order_by(Customer.id).all()
        return [{"email": c.email, "order": str(c.orders[0].id)} for c in rows if c.orders]
