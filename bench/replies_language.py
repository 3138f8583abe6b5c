"""Replies in the customer's language: each message of the per-language evaluation sets as
the first message of a new conversation, each reply's language read by the project's
detector.

    .venv/bin/python -m bench.replies_language [--language de ...] [--limit 50]
        [--rasa-url URL] [--workers 2] [--json out.json] [--write]

Starts the action server and the Rasa server on a fresh demo database (tests/servers.py, as
bench.policy_e2e does; `--rasa-url`: a running assistant with its API open instead) and
sends every message of bench/eval/<language>/in_scope.csv and off_topic.csv over REST, each
as the first message of a new conversation (no page language: REST sends none). The replies
are read from the conversation's tracker, each with the action that sent it and the
response it rendered (`utter_action`). A reply is in the customer's language when
`shopassist.language.detect` reads it as the set's language; a reply without letters (an
order number alone) is not counted, and how many there were is reported. Replies meant to
be English (the served languages' list) are counted like any other. The sets are only
sent, never trained or tuned on.

With --write, the section "Replies in the customer's language" of bench/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import requests

from bench.independent import EVAL, REPO
from bench.report import table

LANGUAGES = ("de", "fr", "es", "zh")
FILES = ("in_scope.csv", "off_topic.csv")
MARKERS = ("<!-- replies-language:start -->", "<!-- replies-language:end -->")
OUT = REPO / "results" / "bench" / "replies_language.json"


def messages(language: str, limit: Optional[int] = None) -> List[Dict[str, str]]:
    rows: List[Dict[str, str]] = []
    for name in FILES:
        with (EVAL / language / name).open(encoding="utf-8", newline="") as handle:
            found = [r for r in csv.DictReader(handle) if (r.get("text") or "").strip()]
        rows += [{"text": r["text"], "intent": r["intent"], "file": name} for r in found]
    return rows[:limit] if limit else rows


def replies_of(events: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The bot's messages of a tracker's events, each with the action that sent it (Rasa
    logs an action before the events it returns) and the response it rendered."""
    out, action = [], None
    for event in events:
        if event.get("event") == "action":
            action = event.get("name")
        elif event.get("event") == "bot":
            metadata = event.get("metadata") or {}
            out.append(
                {"text": event.get("text") or "", "action": action,
                 "response": metadata.get("utter_action")}
            )  # fmt: skip
    return out


def converse(rasa_url: str, language: str, row: Dict[str, str]) -> Dict[str, Any]:
    sender = f"lang-{language}-{uuid.uuid4().hex[:12]}"
    with requests.Session() as session:
        sent = session.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": row["text"]},
            timeout=120,
        )
        sent.raise_for_status()
        # The REST channel keeps the conversation under its own id ("rest:<sender>").
        conversation = next((m["recipient_id"] for m in sent.json() if "recipient_id" in m), None)
        conversation = conversation or f"rest:{sender}"
        tracker = session.get(f"{rasa_url}/conversations/{conversation}/tracker", timeout=60)
        tracker.raise_for_status()
    return {**row, "replies": replies_of(tracker.json().get("events") or [])}


def judge(language: str, result: Dict[str, Any]) -> Dict[str, Any]:
    """Each reply's reading: "no letters", "in language", another code, or "unsure"."""
    from shopassist.language import detect
    from shopassist.language.text import profile

    message = detect(result["text"])
    result["message_clear"] = message.clear and message.language == language
    for reply in result["replies"]:
        if not profile(reply["text"]).words:
            reply["read"] = "no letters"
            continue
        read = detect(reply["text"]).language
        reply["read"] = "in language" if read == language else (read or "unsure")
    return result


def summarise(language: str, results: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    replies = [(r, reply) for r in results for reply in r["replies"]]
    counted = [(r, reply) for r, reply in replies if reply["read"] != "no letters"]
    right = [reply["read"] == "in language" for _, reply in counted]
    clear = [reply["read"] == "in language" for r, reply in counted if r["message_clear"]]
    kinds = Counter(
        (reply["response"] or reply["action"] or "?", reply["read"], r["message_clear"])
        for r, reply in counted
        if reply["read"] != "in language"
    )
    examples: Dict[str, str] = {}
    for r, reply in counted:
        if reply["read"] != "in language":
            examples.setdefault(reply["response"] or reply["action"] or "?", r["text"])
    return {
        "language": language,
        "messages": len(results),
        "without_reply": sum(not r["replies"] for r in results),
        "replies": len(replies),
        "no_letters": len(replies) - len(counted),
        "counted": len(counted),
        "in_language": sum(right),
        "share": sum(right) / len(right) if right else None,
        "clear_messages_counted": len(clear),
        "share_after_clear_message": sum(clear) / len(clear) if clear else None,
        "not_in_language": [
            {
                "reply": name,
                "read": read,
                "message_clear": was_clear,
                "count": n,
                "example": examples[name],
            }
            for (name, read, was_clear), n in kinds.most_common()
        ],  # fmt: skip
    }


def ask_all(rasa_url: str, languages: Sequence[str], limit: Optional[int], workers: int):
    results: Dict[str, List[Dict[str, Any]]] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for language in languages:
            rows = messages(language, limit)
            done = pool.map(lambda row, code=language: converse(rasa_url, code, row), rows)
            results[language] = [judge(language, r) for r in done]
            print(f"replies_language: {language}: {len(rows)} conversations", flush=True)
    return results


def run(
    languages: Sequence[str] = LANGUAGES,
    limit: Optional[int] = None,
    rasa_url: Optional[str] = None,
    workers: int = 2,
) -> Dict[str, Any]:
    from bench.machine import describe

    started = time.perf_counter()
    load_before = os.getloadavg()
    if rasa_url:
        results = ask_all(rasa_url, languages, limit, workers)
    else:
        from shopassist.store.manage import ensure
        from tests.servers import assistant_servers, base_env

        with tempfile.TemporaryDirectory(prefix="shopassist-replies-") as tmp:
            db_url = f"sqlite:///{tmp}/shop.sqlite3"
            ensure(db_url)
            with assistant_servers(Path(tmp), base_env(db_url)) as servers:
                results = ask_all(servers["rasa_url"], languages, limit, workers)
    return {
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": describe(),
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "seconds": time.perf_counter() - started,
        "limit": limit,
        "languages": {code: summarise(code, rows) for code, rows in results.items()},
        "conversations": results,
    }


def _pct(value: Optional[float]) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def markdown(result: Dict[str, Any], command: str) -> str:
    machine = result["machine"]
    load = result["load_average"]
    lines = [
        "## Replies in the customer's language (target: 99%)",
        "",
        f"Measured on {result['when']} on {machine['cpu']}, {machine['cores']} cores, Python "
        f"{machine['python']}, in {result['seconds'] / 60:.0f} minutes; load average "
        f"{load['before'][0]:.1f} before and {load['after'][0]:.1f} after (other jobs on the "
        f"machine). Command: `{command}` (`bench/replies_language.py`).",
        "",
        "Every message of `bench/eval/<language>/in_scope.csv` and `off_topic.csv` is the first "
        "message of a new REST conversation (no page language); each reply's language is read "
        'by `shopassist.language.detect`. Replies without letters are not counted. "After a '
        "clear message\": the customer's message itself is clearly in that language (three "
        "words or more, or Chinese characters); a shorter first message leaves the "
        "conversation in English by design.",
        "",
        *table(
            [
                "language",
                "messages",
                "replies",
                "no letters (not counted)",
                "in the customer's language",
                "after a clear message",
            ],
            (
                [
                    code,
                    s["messages"],
                    s["replies"],
                    s["no_letters"],
                    f"{s['in_language']} of {s['counted']}, **{_pct(s['share'])}**",
                    f"{_pct(s['share_after_clear_message'])} of {s['clear_messages_counted']}",
                ]
                for code, s in result["languages"].items()
            ),
        ),
        "",
        "Replies not read as the customer's language, by response (or the action that wrote "
        "it): read as (a code, or unsure: no sure reading), whether the customer's message was "
        "clear, count, an example message:",
        "",
        *table(
            ["language", "reply", "read as", "message clear", "n", "example message"],
            (
                [
                    code,
                    f"`{k['reply']}`",
                    k["read"],
                    "yes" if k["message_clear"] else "no",
                    k["count"],
                    k["example"].replace("|", "\\|"),
                ]
                for code, s in result["languages"].items()
                for k in s["not_in_language"][:12]
            ),
        ),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", action="append", choices=LANGUAGES)
    parser.add_argument("--limit", type=int, help="the first N messages of each language")
    parser.add_argument("--rasa-url", help="a running assistant (API open) instead of one here")
    parser.add_argument("--workers", type=int, default=2, help="conversations at once")
    parser.add_argument("--json", type=Path, default=OUT)
    parser.add_argument("--write", action="store_true", help="update bench/BENCHMARKS.md")
    args = parser.parse_args(argv)
    result = run(args.language or LANGUAGES, args.limit, args.rasa_url, args.workers)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    from bench.report import publish

    given = sys.argv[1:] if argv is None else argv
    command = ".venv/bin/python -m bench.replies_language " + " ".join(given)
    publish(markdown(result, command.strip()), MARKERS, args.write)


if __name__ == "__main__":
    main()
