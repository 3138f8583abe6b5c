"""The console's settings, from environment variables with defaults that suit `make run`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    tracker_db_url: str  # Rasa's SQL tracker store (endpoints.yml), read only
    rasa_url: str  # Rasa's HTTP API, for takeover
    rasa_token: str  # Rasa's --auth-token
    socket_url: str  # what the chat page's socket.io connects to (seen by the browser)
    session_ttl: timedelta
    reviewed_nlu: Path  # where annotations are written (Rasa YAML)
    reviewed_stories: Path  # where saved test stories are written
    domain: Path
    secure_cookies: bool

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        return cls(
            tracker_db_url=env("SHOPASSIST_TRACKER_DB_URL", f"sqlite:///{ROOT}/var/trackers.db"),
            rasa_url=env("SHOPASSIST_RASA_URL", "http://localhost:5005").rstrip("/"),
            rasa_token=env("SHOPASSIST_RASA_TOKEN", ""),
            socket_url=env("SHOPASSIST_SOCKET_URL", "http://localhost:5005"),
            session_ttl=timedelta(minutes=int(env("SHOPASSIST_CONSOLE_SESSION_MINUTES", "480"))),
            reviewed_nlu=Path(env("SHOPASSIST_REVIEWED_NLU", ROOT / "data/nlu/reviewed.yml")),
            reviewed_stories=Path(
                env("SHOPASSIST_REVIEWED_STORIES", ROOT / "tests/test_stories_reviewed.yml")
            ),
            domain=Path(env("SHOPASSIST_DOMAIN", ROOT / "domain.yml")),
            secure_cookies=env("SHOPASSIST_CONSOLE_SECURE_COOKIES", "") == "1",
        )
