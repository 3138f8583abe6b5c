"""Single conversations, turn by turn, with `requests`: the probe (one scripted
conversation with its replies kept) and the long conversation (the cost of a turn as the
conversation grows). The load itself is locust's: bench/serving/load.py."""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, List, Sequence

from bench.serving.figures import Turn, long_summary
from bench.serving.plan import UNAVAILABLE_MARK


def turn(session, url: str, sender: str, text: str, position: int, timeout: float):
    """One turn through the proxy: (Turn, the reply texts)."""
    import requests

    started = time.perf_counter()
    record = Turn(position, started, started)
    texts: List[str] = []
    try:
        response = session.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=timeout,
        )
        record.status = response.status_code
        if response.status_code == 200:
            texts = [str(m.get("text") or m.get("custom") or m) for m in response.json()]
    except (requests.RequestException, ValueError) as error:
        record.error = type(error).__name__
    record.ended = time.perf_counter()
    record.replies = len(texts)
    record.unavailable = any(UNAVAILABLE_MARK in t for t in texts)
    return record, texts


def run_long(url: str, cycle: Sequence[str], turns: int, timeout: float) -> Dict[str, Any]:
    """One conversation of `turns` turns, sequential, `cycle` repeated."""
    import requests

    sender = f"bench-long-{uuid.uuid4().hex[:10]}"
    records: List[Turn] = []
    transcript: List[Dict[str, Any]] = []
    with requests.Session() as session:
        for index in range(turns):
            text = cycle[index % len(cycle)]
            record, replies = turn(session, url, sender, text, index + 1, timeout)
            records.append(record)
            if index < 10 or index >= turns - 10:
                transcript.append({"turn": index + 1, "text": text, "replies": replies})
    latencies = [t.ms for t in records]
    return {
        **long_summary(latencies),
        "errors": sum(1 for t in records if not t.ok),
        "empty_replies": sum(1 for t in records if t.ok and t.replies == 0),
        "unavailable_replies": sum(1 for t in records if t.unavailable),
        "latencies_ms": [round(v, 1) for v in latencies],
        "transcript": transcript,
    }


def probe(url: str, script: Sequence[str], timeout: float) -> List[Dict[str, Any]]:
    """One scripted conversation, with the replies kept: what the load actually asks."""
    import requests

    sender = f"bench-probe-{uuid.uuid4().hex[:10]}"
    rows = []
    with requests.Session() as session:
        for position, text in enumerate(script, 1):
            record, replies = turn(session, url, sender, text, position, timeout)
            rows.append(
                {
                    "text": text,
                    "ms": round(record.ms, 1),
                    "status": record.status,
                    "error": record.error,
                    "replies": replies,
                }
            )
    return rows
