"""Any OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp's server, a hosted API).

Configured from the environment:
    SHOPASSIST_LLM_URL      base URL up to /v1, e.g. http://127.0.0.1:11434/v1
    SHOPASSIST_LLM_MODEL    the model name the server knows
    SHOPASSIST_LLM_API_KEY  optional bearer token
    SHOPASSIST_LLM_TIMEOUT  seconds to wait for a reply (default 4)
"""

from __future__ import annotations

import os
import time

import requests

from shopassist.generation.base import GenerationRequest
from shopassist.generation.limits import timeout_s
from shopassist.generation.prompts import messages

MAX_NEW_TOKENS = 160


class OpenAICompatibleGenerator:
    name = "openai"

    def __init__(
        self, url: str | None = None, model: str | None = None, api_key: str | None = None
    ) -> None:
        self.url = (url or os.environ.get("SHOPASSIST_LLM_URL") or "").rstrip("/")
        self.model = model or os.environ.get("SHOPASSIST_LLM_MODEL") or ""
        if not self.url or not self.model:
            raise ValueError(
                "the openai backend needs SHOPASSIST_LLM_URL (e.g. http://127.0.0.1:8000/v1) "
                "and SHOPASSIST_LLM_MODEL"
            )
        self.api_key = api_key or os.environ.get("SHOPASSIST_LLM_API_KEY") or ""
        self.session = requests.Session()
        self.last_stats: dict = {}  # tokens and seconds of the latest reply (benchmarks)

    def generate(self, request: GenerationRequest) -> str | None:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        started = time.monotonic()
        response = self.session.post(
            f"{self.url}/chat/completions",
            json={
                "model": self.model,
                "messages": messages(request),
                "temperature": 0,
                "max_tokens": MAX_NEW_TOKENS,
            },
            headers=headers,
            # Connect fast or not at all; the read may take the whole budget. The caller's
            # own timeout (limits.run_limited) bounds the total either way.
            timeout=(min(2.0, timeout_s()), timeout_s()),
        )
        response.raise_for_status()
        body = response.json()
        usage = body.get("usage") or {}
        self.last_stats = {
            "tokens": int(usage.get("completion_tokens") or 0),
            "seconds": time.monotonic() - started,
        }
        choices = body.get("choices") or []
        if not choices:
            return None
        content = (choices[0].get("message") or {}).get("content")
        return content if isinstance(content, str) else None
