"""Any OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp's server, a hosted API).

Configured by the settings (shopassist.settings):
    SHOPASSIST_LLM_URL      base URL up to /v1, e.g. http://127.0.0.1:11434/v1
    SHOPASSIST_LLM_MODEL    the model name the server knows
    SHOPASSIST_LLM_API_KEY  optional bearer token
    SHOPASSIST_LLM_TIMEOUT  seconds to wait for a reply (default 4)

`stream` asks for the reply with `stream: true` (server-sent events) and hands each text so
far to a callback as it comes (the web chat's draft, shopassist/generation/drafts.py); the
text it returns is the same as `generate`'s, and is checked the same way.

`RemoteLines` writes a role's line (rephrase, tone, summary, choose) on the same endpoint,
from the same prompt the embedded model gets (prefix_cache.PrefixCachedModel.write_line).
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Dict, List

import requests

from shopassist.generation.base import GenerationRequest
from shopassist.generation.limits import timeout_s
from shopassist.generation.prefix_cache import Messages, first_line
from shopassist.generation.prompts import messages
from shopassist.settings import get_settings

MAX_NEW_TOKENS = 160


class OpenAICompatibleGenerator:
    name = "openai"

    def __init__(
        self, url: str | None = None, model: str | None = None, api_key: str | None = None
    ) -> None:
        settings = get_settings()
        self.url = (url or settings.llm_url).rstrip("/")
        self.model = model or settings.llm_model
        if not self.url or not self.model:
            raise ValueError(
                "the openai backend needs SHOPASSIST_LLM_URL (e.g. http://127.0.0.1:8000/v1) "
                "and SHOPASSIST_LLM_MODEL"
            )
        self.api_key = api_key or settings.llm_api_key
        self.session = requests.Session()
        self.last_stats: dict = {}  # tokens and seconds of the latest reply (benchmarks)

    def _post(self, turns: List[Dict[str, str]], max_tokens: int, stream: bool = False):
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body: Dict[str, Any] = {
            "model": self.model,
            "messages": turns,
            "temperature": 0,
            "max_tokens": max_tokens,
        }
        if stream:
            body["stream"] = True
        response = self.session.post(
            f"{self.url}/chat/completions",
            json=body,
            headers=headers,
            stream=stream,
            # Connect fast or not at all; the read may take the whole budget. The caller's
            # own timeout (limits.run_limited) bounds the total either way.
            timeout=(min(2.0, timeout_s()), timeout_s()),
        )
        response.raise_for_status()
        return response

    def stream(self, request: GenerationRequest, on_text: Callable[[str], None]) -> str | None:
        """The reply, as `generate`; `on_text` gets the text so far after each piece."""
        started = time.monotonic()
        deadline = started + timeout_s()
        pieces, tokens = [], 0
        with self._post(messages(request), MAX_NEW_TOKENS, stream=True) as response:
            for line in response.iter_lines(decode_unicode=True):
                if not line or not line.startswith("data:"):
                    continue  # keep-alives, comments, event names
                data = line[len("data:") :].strip()
                if data == "[DONE]":
                    break
                choices = json.loads(data).get("choices") or []
                delta = (choices[0].get("delta") or {}).get("content") if choices else None
                if isinstance(delta, str) and delta:
                    pieces.append(delta)
                    tokens += 1
                    on_text("".join(pieces))
                if time.monotonic() > deadline:  # the caller has given up: stop reading
                    return None
        self.last_stats = {"tokens": tokens, "seconds": time.monotonic() - started}
        return "".join(pieces) or None

    def generate(self, request: GenerationRequest) -> str | None:
        return self.chat(messages(request), MAX_NEW_TOKENS)

    def chat(self, turns: List[Dict[str, str]], max_tokens: int) -> str | None:
        """The endpoint's reply to `turns` (temperature 0, at most `max_tokens`), or None
        when the body holds no text."""
        started = time.monotonic()
        body = self._post(turns, max_tokens).json()
        if not isinstance(body, dict):
            return None
        usage = body.get("usage") or {}
        self.last_stats = {
            "tokens": int(usage.get("completion_tokens") or 0),
            "seconds": time.monotonic() - started,
        }
        choices = body.get("choices") or []
        if not choices or not isinstance(choices[0], dict):
            return None
        content = (choices[0].get("message") or {}).get("content")
        return content if isinstance(content, str) else None


class RemoteLines:
    """A role's line from the endpoint, as PrefixCachedModel.write_line writes it in this
    process: the role's messages, temperature 0, at most `max_tokens`, the first line that
    says something. Subclasses set `role` and `messages` and write `generate`."""

    role = ""
    messages: Messages

    def __init__(
        self, url: str | None = None, model: str | None = None, api_key: str | None = None
    ) -> None:
        self.endpoint = OpenAICompatibleGenerator(url, model, api_key)
        self.model = self.endpoint.model  # what its texts are recorded as written by
        self.name = f"{self.role}:{self.model}"
        self.last_stats: dict = {}

    def write_line(self, request: GenerationRequest, max_tokens: int) -> str | None:
        text = self.endpoint.chat(type(self).messages(request), max_tokens)
        self.last_stats = self.endpoint.last_stats
        return first_line(text)

    def warm(self) -> None:
        """Nothing to compute in this process: the server keeps its own cache."""

    def forget(self) -> None:
        """Nothing cached here to drop (the benchmarks' cold runs)."""
