"""Policy questions end to end: what a customer who asks one actually gets back.

    python -m bench.policy_e2e [--questions bench/eval/en/policy_questions.yml] [--json out.json]

Starts the real action server and Rasa server on a fresh demo database (as the integration
tests do), sends each question as the first message of a new conversation over REST and
scores the replies the customer would read:
- answerable: every `must_include` string appears in the replies (case-insensitive);
- not answerable: the replies say the assistant is not sure and offer a person, and
  contain no number at all (no invented fee, duration or date).
A reply that starts a form ("What is your order number?") instead of answering is wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests
import yaml

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = REPO / "bench" / "eval" / "en" / "policy_questions.yml"
NOT_SURE = re.compile(r"not sure|don't know|do not know|can't say|rather not guess", re.I)
PERSON = re.compile(r"colleague|person|customer service|help@|\+1 800|agent", re.I)
NUMBER = re.compile(r"\d")


def right(question: Dict[str, Any], reply: str) -> bool:
    text = reply.lower()
    if question["answerable"]:
        return all(fact.lower() in text for fact in question["must_include"])
    return bool(NOT_SURE.search(reply) and PERSON.search(reply) and not NUMBER.search(reply))


def ask_all(rasa_url: str, questions: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    rows = []
    for question in questions:
        response = requests.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": f"policy-{uuid.uuid4().hex[:12]}", "message": question["question"]},
            timeout=120,
        )
        reply = " ".join(m.get("text") or "" for m in response.json())
        rows.append({**question, "reply": reply, "right": right(question, reply)})
    return rows


def summarise(rows: List[Dict[str, Any]]) -> Dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    return {
        "questions": len(rows),
        "right": sum(r["right"] for r in rows) / len(rows),
        "answerable_right": sum(r["right"] for r in answerable) / max(1, len(answerable)),
        "unanswerable_right": sum(r["right"] for r in unanswerable) / max(1, len(unanswerable)),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
    }


def run(questions_path: Path, rasa_url: Optional[str] = None) -> Dict[str, Any]:
    questions = yaml.safe_load(questions_path.read_text(encoding="utf-8"))["questions"]
    if rasa_url:
        rows = ask_all(rasa_url, questions)
    else:
        from shopassist.store.manage import ensure
        from tests.servers import assistant_servers, base_env

        with tempfile.TemporaryDirectory(prefix="shopassist-policy-") as tmp:
            db_url = f"sqlite:///{tmp}/shop.sqlite3"
            ensure(db_url)
            with assistant_servers(Path(tmp), base_env(db_url)) as servers:
                rows = ask_all(servers["rasa_url"], questions)
    return {**summarise(rows), "rows": rows}


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--rasa-url", help="a running assistant instead of starting one")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = run(args.questions, args.rasa_url)
    print(
        f"{result['questions']} questions: right {result['right']:.3f} "
        f"(answerable {result['answerable_right']:.3f} of {result['answerable']}, "
        f"not answerable {result['unanswerable_right']:.3f} of {result['unanswerable']})"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
