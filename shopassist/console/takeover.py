"""Human takeover through Rasa's HTTP API: pause the assistant, speak as an agent, resume.

Rasa's own conversation controls do the work: a `pause` event stops the assistant from
answering (customer messages are still recorded), a `bot` event appended with
`execute_side_effects` is delivered to the customer through the conversation's latest
input channel (the socket.io web chat pushes it at once; REST callers can't be pushed to
and see it in the tracker only), and `resume` hands the conversation back.
"""

from __future__ import annotations

from typing import Any, Dict, List

import aiohttp

from shopassist.auth.rasa_api import authorization
from shopassist.generation import provenance

TIMEOUT = aiohttp.ClientTimeout(total=10)
JOINED = "{agent} from our customer service team has joined the chat."
HANDED_BACK = "You're chatting with ShopAssist, the shop's assistant, again. How else can I help?"
MAX_REPLY_CHARS = 2000


class RasaUnavailable(RuntimeError):
    pass


class RasaClient:
    def __init__(self, base_url: str, token: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    async def _append(self, conversation: str, events: List[Dict[str, Any]]) -> None:
        params = {"output_channel": "latest", "execute_side_effects": "true"}
        # A short-lived JWT in a header, never the token in the URL (logged by proxies).
        headers = authorization(self.token)
        url = f"{self.base_url}/conversations/{conversation}/tracker/events"
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
                async with http.post(url, params=params, json=events, headers=headers) as response:
                    if response.status != 200:
                        body = (await response.text())[:300]
                        raise RasaUnavailable(f"Rasa answered {response.status}: {body}")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaUnavailable(f"Rasa is not reachable at {self.base_url}: {error}") from error

    async def take_over(self, conversation: str, agent: str) -> None:
        await self._append(
            conversation,
            [{"event": "pause"}, _bot(JOINED.format(agent=agent), agent, provenance.TEMPLATE)],
        )

    async def say(self, conversation: str, text: str, agent: str) -> None:
        text = (text or "").strip()
        if not text:
            raise ValueError("the reply is empty")
        if len(text) > MAX_REPLY_CHARS:
            raise ValueError(f"a reply is at most {MAX_REPLY_CHARS} characters")
        await self._append(conversation, [_bot(text, agent, provenance.PERSON)])

    async def hand_back(self, conversation: str, agent: str) -> None:
        await self._append(
            conversation, [{"event": "resume"}, _bot(HANDED_BACK, None, provenance.TEMPLATE)]
        )


def _bot(text: str, agent: str | None, written_by: str) -> Dict[str, Any]:
    """A bot event in the agent's name; written by the agent ("person") or a fixed text."""
    metadata: Dict[str, Any] = {**provenance.template("handoff"), "generated_by": written_by}
    if agent:
        metadata["agent"] = agent
    return {"event": "bot", "text": text, "metadata": metadata}
