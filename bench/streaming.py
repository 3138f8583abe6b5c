"""Time to the first draft and to the checked reply of a streamed knowledge answer.

    SHOPASSIST_LLM_URL=... SHOPASSIST_LLM_MODEL=... .venv/bin/python -m bench.streaming
    SHOPASSIST_GENERATOR=embedded .venv/bin/python -m bench.streaming

Drafts are recorded in memory (no Rasa server needed): the first-draft time is when the
chat would get its first words, less the draft route's own delay (a local HTTP post). Only
a real model's figures mean anything; against tests/fake_llm.py they measure the fake.
"""

from __future__ import annotations

import statistics
import sys
import time

from shopassist.generation import drafts, get_generator
from shopassist.generation.knowledge_answers import answer_question
from shopassist.knowledge import get_index

QUESTIONS = [
    "how long do I have to return something?",
    "do you ship to Switzerland?",
    "how do refunds work?",
    "can I change my delivery address?",
]


def main(argv: list) -> None:
    rounds = int(argv[0]) if argv else 3
    generator = get_generator()
    if not drafts.streams(generator):
        raise SystemExit(f"backend {generator.name} does not stream")
    index = get_index()
    first, whole = [], []
    for _ in range(rounds):
        for question in QUESTIONS:
            sent: list = []
            draft = drafts.Drafts("bench", lambda body, sent=sent: sent.append(time.monotonic()))
            started = time.monotonic()
            reply = answer_question(question, index, generator, on_text=draft)
            whole.append(time.monotonic() - started)
            draft.close()
            if sent:
                first.append(sent[0] - started)
            print(
                f"{reply.source:8} first {sent[0] - started if sent else float('nan'):.2f}s "
                f"reply {whole[-1]:.2f}s  {question}"
            )
    if first:
        print(f"first words p50 {statistics.median(first):.2f}s (n={len(first)})")
    print(f"reply p50 {statistics.median(whole):.2f}s (n={len(whole)})")


if __name__ == "__main__":
    main(sys.argv[1:])
