"""The console's settings: its part of ShopAssist's settings (shopassist.settings), whose
defaults suit `make run`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Optional

from shopassist import settings as shop

ROOT = shop.ROOT


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
    def from_env(cls, settings: Optional[shop.Settings] = None) -> Settings:
        """The console's part of `settings` (default: the process's, from its environment)."""
        settings = settings or shop.get_settings()
        return cls(
            tracker_db_url=settings.tracker_db_url,
            rasa_url=settings.rasa_url,
            rasa_token=settings.rasa_token,
            socket_url=settings.socket_url,
            session_ttl=timedelta(minutes=settings.console_session_minutes),
            reviewed_nlu=settings.reviewed_nlu,
            reviewed_stories=settings.reviewed_stories,
            domain=settings.domain,
            secure_cookies=settings.console_secure_cookies,
        )
