"""Time to the first draft and to the checked reply of a streamed knowledge answer.

    SHOPASSIST_LLM_URL=... SHOPASSIST_LLM_MODEL=... .venv/bin/python -m bench.streaming
    SHOPASSIST_GENERATOR=embedded .venv/bin/python -m bench.streaming

Drafts are recorded in memory (no Rasa server needed): the first-draft time is when the
chat would get its first words, less the draft route's own delay (a local HTTP post). Only
a real model's figures mean anything; against tests/fake_llm.py they measure the fake.
One untimed question first loads the model and its cached prompt prefix, as a server's
start does. The reply is what the customer gets: the model's checked text, or the passage
when the check refused it or the model ran past SHOPASSIST_LLM_TIMEOUT.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter

from bench.knowledge import percentile
from shopassist.generation import drafts, get_generator
from shopassist.generation.knowledge_answers import answer_question
from shopassist.knowledge import get_index

QUESTIONS = [
    "how long do I have to return something?",
    "do you ship to Switzerland?",
    "how do refunds work?",
    "can I change my delivery address?",
]
# Loads the model before the timed questions; not one of them, or its prompt would be
# cached whole and its first reply would time nothing.
WARM_UP = "which payment methods do you accept?"


def main(argv: list) -> None:
    rounds = int(argv[0]) if argv else 3
    generator = get_generator()
    if not drafts.streams(generator):
        raise SystemExit(f"backend {generator.name} does not stream")
    index = get_index()
    answer_question(WARM_UP, index, generator)  # the model's load: not a reply's time
    print(
        f"{generator.name} {getattr(generator, 'model', '')} load average {os.getloadavg()[0]:.2f}"
    )
    first, whole, sources = [], [], Counter()
    for _ in range(rounds):
        for question in QUESTIONS:
            sent: list = []
            draft = drafts.Drafts("bench", lambda body, sent=sent: sent.append(time.monotonic()))
            started = time.monotonic()
            reply = answer_question(question, index, generator, on_text=draft)
            whole.append(time.monotonic() - started)
            draft.close()
            sources[reply.source] += 1
            if sent:
                first.append(sent[0] - started)
            print(
                f"{reply.source:8} first {sent[0] - started if sent else float('nan'):.2f}s "
                f"reply {whole[-1]:.2f}s  {question}"
            )
    if first:
        print(
            f"first words p50 {percentile(first, 0.5):.2f}s p95 {percentile(first, 0.95):.2f}s"
            f" (n={len(first)})"
        )
    print(
        f"reply p50 {percentile(whole, 0.5):.2f}s p95 {percentile(whole, 0.95):.2f}s"
        f" (n={len(whole)}; {dict(sources)}) load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
