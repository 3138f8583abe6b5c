"""What the channels accept and what they pass on to Rasa: one place for every limit.

- A request body is at most MAX_BODY_BYTES (REST and socket.io alike): a 20 MB request was
  read and stored whole.
- A message is stored cut to what NLU reads (MessageLengthGuard's `max_chars`); more was
  never understood, only kept.
- Metadata keeps only what ShopAssist uses: the logged-in page's customer token, which is
  verified here and replaced by the identity it proves (shopassist.auth.customer_token.
  verified_metadata), so no working token reaches the tracker store (nor Rasa's copy of the
  first message's metadata, `session_started_metadata`); and the page's language, or the
  one the customer picked in the chat's menu (`language_chosen`).
- New conversations per client address are limited (NewConversationLimit).
- Browsers may call the channels only from the shop's own origins (SHOPASSIST_ALLOWED_ORIGINS:
  `origins` of shopassist.settings).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import defaultdict, deque
from typing import Any, Deque, Dict, Optional, Tuple

from shopassist.auth.client import CLIENT_KEY
from shopassist.auth.customer_token import verified_metadata
from shopassist.language.conversation import served
from shopassist.settings import env_name, get_settings

MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_LENGTH = 255  # the tracker store's sender_id column
ORIGINS_ENV = env_name("allowed_origins")


def _max_chars() -> int:
    from shopassist.nlu.length_guard import MessageLengthGuard

    return int(MessageLengthGuard.get_default_config()["max_chars"])


def stored_text(text: str) -> str:
    """The part of a message that is understood, and so the part that is stored."""
    from shopassist.nlu.length_guard import MessageLengthGuard

    return MessageLengthGuard(_max_chars()).cut(text)


def stored_metadata(metadata: Any, address: Optional[str] = None) -> Dict[str, Any]:
    """The metadata Rasa may store: the verified customer, if a valid token came, the page's
    language, and an opaque key for the client's address (identity-check limits follow a
    guesser across conversations with it, shopassist.auth.client), never the address itself."""
    stored = verified_metadata(metadata if isinstance(metadata, dict) else None)
    # The page's language, as a served language code only: the conversation's language
    # until the customer writes a clear message (shopassist.language.turns).
    language = served(metadata.get("language")) if isinstance(metadata, dict) else None
    if language:
        stored["language"] = language
        # Picked in the web chat's language menu: it holds over what the customer writes.
        if metadata.get("language_chosen") is True:
            stored["language_chosen"] = True
    if address:
        stored[CLIENT_KEY] = client_address_key(address)
    return stored


def client_address_key(address: str) -> str:
    """A keyed hash of the address: the same for every Rasa server sharing the session
    secret, and no way back to the address for whoever reads the tracker store."""
    from shopassist.channels.sessions import _key

    return hmac.new(_key(), f"client:{address}".encode(), hashlib.sha256).hexdigest()[:32]


class NewConversationLimit:
    """At most `per_minute` new conversations per client address in any 60 seconds.

    Counted per process (each Rasa server counts its own clients), in memory: it bounds
    what one address can make a server store, it is not an account of who did what."""

    WINDOW = 60.0

    def __init__(self, per_minute: Optional[int] = None, clock=time.monotonic) -> None:
        if per_minute is None:
            per_minute = get_settings().new_conversations_per_minute
        self.per_minute = per_minute  # 0: no limit
        self.clock = clock
        self._starts: Dict[str, Deque[float]] = defaultdict(deque)
        self._seen: Dict[Tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def allow(self, address: str, conversation: Optional[str] = None) -> bool:
        """Whether `address` may start a conversation now (counted if so). A conversation
        it already started within the window is not new again."""
        if self.per_minute <= 0:
            return True
        now = self.clock()
        with self._lock:
            self._forget(now)
            if conversation is not None and (address, conversation) in self._seen:
                return True
            starts = self._starts[address]
            if len(starts) >= self.per_minute:
                return False
            starts.append(now)
            if conversation is not None:
                self._seen[(address, conversation)] = now
            return True

    def _forget(self, now: float) -> None:
        cutoff = now - self.WINDOW
        for address in list(self._starts):
            starts = self._starts[address]
            while starts and starts[0] <= cutoff:
                starts.popleft()
            if not starts:
                del self._starts[address]
        for key in [k for k, at in self._seen.items() if at <= cutoff]:
            del self._seen[key]
