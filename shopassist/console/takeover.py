"""Human takeover through Rasa's HTTP API: pause the assistant, speak as an agent, resume.

Rasa's own conversation controls do the work: a `pause` event stops the assistant from
answering (customer messages are still recorded), a `bot` event appended with
`execute_side_effects` is delivered to the customer through the conversation's latest
input channel (the socket.io web chat pushes it at once; REST callers can't be pushed to
and see it in the tracker only), and `resume` hands the conversation back.

The customer sees the agent as the name and avatar the agent chose (shopassist.console.
profiles), never their user name: those travel as the message's `speaker`, which the web
chat's socket.io channel passes on (shopassist/channels/socketio.py); the user name stays
in the stored event's `agent`, for the console. While the agent types, `typing` asks the
Rasa server to show it in the customer's chat (no event is stored).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import aiohttp

from shopassist.auth.rasa_api import authorization
from shopassist.console.profiles import Profile
from shopassist.generation import provenance

TIMEOUT = aiohttp.ClientTimeout(total=10)
JOINED = "{agent} from our customer service team has joined the chat."
JOINED_UNNAMED = "A colleague from our customer service team has joined the chat."
HANDED_BACK = "You're chatting with ShopAssist, the shop's assistant, again. How else can I help?"
MAX_REPLY_CHARS = 2000
TYPING_PATH = "/webhooks/socketio/typing"  # shopassist/channels/socketio.py


class RasaUnavailable(RuntimeError):
    pass


class RasaClient:
    def __init__(self, base_url: str, token: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    async def _post(self, path: str, body: Any, params: Dict[str, str]) -> None:
        # A short-lived JWT in a header, never the token in the URL (logged by proxies).
        headers = authorization(self.token)
        url = f"{self.base_url}{path}"
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
                async with http.post(url, params=params, json=body, headers=headers) as response:
                    if response.status != 200:
                        text = (await response.text())[:300]
                        raise RasaUnavailable(f"Rasa answered {response.status}: {text}")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaUnavailable(f"Rasa is not reachable at {self.base_url}: {error}") from error

    async def _append(self, conversation: str, events: List[Dict[str, Any]]) -> None:
        params = {"output_channel": "latest", "execute_side_effects": "true"}
        await self._post(f"/conversations/{conversation}/tracker/events", events, params)

    async def take_over(self, conversation: str, agent: str, profile: Profile) -> None:
        joined = JOINED.format(agent=profile.name) if profile.chosen_name else JOINED_UNNAMED
        await self._append(
            conversation,
            [
                {"event": "pause"},
                _bot(joined, agent, provenance.TEMPLATE, profile.speaker(), "started"),
            ],
        )

    async def say(self, conversation: str, text: str, agent: str, profile: Profile) -> None:
        text = (text or "").strip()
        if not text:
            raise ValueError("the reply is empty")
        if len(text) > MAX_REPLY_CHARS:
            raise ValueError(f"a reply is at most {MAX_REPLY_CHARS} characters")
        await self._append(conversation, [_bot(text, agent, provenance.PERSON, profile.speaker())])

    async def hand_back(self, conversation: str, agent: str) -> None:
        await self._append(
            conversation,
            [{"event": "resume"}, _bot(HANDED_BACK, None, provenance.TEMPLATE, None, "ended")],
        )

    async def typing(self, conversation: str, typing: bool) -> None:
        """Shows (or stops showing) that the agent is typing, in the customer's web chat."""
        await self._post(
            TYPING_PATH, {"conversation": conversation, "typing": bool(typing)}, params={}
        )


def _bot(
    text: str,
    agent: Optional[str],
    written_by: str,
    speaker: Optional[Dict[str, Any]] = None,
    takeover: Optional[str] = None,
) -> Dict[str, Any]:
    """A bot event written by the agent ("person") or a fixed text. `agent` (the user
    name) is for the console's record; `speaker` is how the customer's chat shows them;
    `takeover` ("started", "ended") tells the chat a person joined or left."""
    metadata: Dict[str, Any] = {**provenance.template("handoff"), "generated_by": written_by}
    if agent:
        metadata["agent"] = agent
    if speaker:
        metadata["speaker"] = speaker
    if takeover:
        metadata["takeover"] = takeover
    return {"event": "bot", "text": text, "metadata": metadata}
