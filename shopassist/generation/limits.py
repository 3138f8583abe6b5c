"""Time and concurrency limits around a generator call.

A backend call runs in a worker thread; the caller waits at most the timeout and then
answers with the template. At most `SHOPASSIST_LLM_CONCURRENCY` calls run at once; a call
that finds no free slot does not queue (a queue would only turn into timeouts), it gets
the template at once. A hung backend therefore holds its slots, and every later message is
answered from templates without waiting until it recovers.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading

from shopassist.settings import default_of, get_settings

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = default_of("llm_timeout")
DEFAULT_CONCURRENCY = default_of("llm_concurrency")


def timeout_s() -> float:
    return get_settings().llm_timeout


class _Limits:
    """The slots and worker threads of this process, made at the first call from the
    settings (SHOPASSIST_LLM_CONCURRENCY): importing this module reads no setting."""

    def __init__(self, concurrency: int) -> None:
        self.slots = threading.BoundedSemaphore(concurrency)
        self.pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=concurrency * 2, thread_name_prefix="generator"
        )


_made = threading.Lock()
_limits: _Limits | None = None


def _process_limits() -> _Limits:
    global _limits
    with _made:
        if _limits is None:
            _limits = _Limits(get_settings().llm_concurrency)
        return _limits


def _call(generator, request, on_text=None, slots=None):
    try:
        if on_text is not None and callable(getattr(generator, "stream", None)):
            return generator.stream(request, on_text)
        return generator.generate(request)
    except Exception:  # a broken backend must never cost the customer an answer
        logger.exception("generator %s failed on %s", generator.name, request.task)
        return None
    finally:
        slots.release()


def run_limited(generator, request, timeout: float | None = None, on_text=None):
    """The backend's text, or None when it is busy, fails or takes longer than the timeout.
    With `on_text`, a backend that can stream hands it the text so far as it writes."""
    limits = _process_limits()
    if not limits.slots.acquire(blocking=False):
        logger.warning("generator %s busy: template for %s", generator.name, request.task)
        return None
    try:
        future = limits.pool.submit(_call, generator, request, on_text, limits.slots)
    except RuntimeError:  # the pool is shut down (interpreter exit)
        limits.slots.release()
        return None
    try:
        return future.result(timeout=timeout if timeout is not None else timeout_s())
    except concurrent.futures.TimeoutError:
        logger.warning("generator %s timed out on %s", generator.name, request.task)
        return None
