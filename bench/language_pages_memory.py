"""What the help pages in other languages cost in the action server's memory.

Imports the actions as the action server does and builds the English index (its state once
warmed up), then loads the multilingual encoder and the index of the pages in a language,
printing the resident memory (RSS) after each step. Without pages in that language yet,
the English pages stand in for them (same passage count, so about the same cost).

    .venv/bin/python -m bench.language_pages_memory [de]
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("USE_TF", "0")  # as the action server does


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(language: str = "de") -> None:
    from rasa_sdk.executor import ActionExecutor

    ActionExecutor().register_package("actions")  # every action module, as the server does
    from shopassist.generation.knowledge_answers import extract
    from shopassist.knowledge import get_index
    from shopassist.knowledge.documents import load_passages
    from shopassist.knowledge.index import KnowledgeIndex
    from shopassist.knowledge.languages import MultilingualEmbedder, has_pages, language_index

    english, question = get_index(), "how long do I have to return something"
    for hit in english.search(question, k=3):  # the English side warm, as after warm-up
        extract(question, hit, english)
    before = rss_mb()
    print(f"actions imported, English index warm: {before:.0f} MB")
    embedder = MultilingualEmbedder()
    embedder.embed(["Wie lange habe ich Zeit für eine Rücksendung?"])
    loaded = rss_mb()
    print(f"+ multilingual encoder loaded: {loaded:.0f} MB (+{loaded - before:.0f} MB)")
    if has_pages(language):
        index = language_index(language)
        where = f"data/knowledge/{language}/"
    else:
        index = KnowledgeIndex(load_passages(), embedder, kind="index_memory", words=False)
        where = "the English pages standing in"
    question = "Wie lange habe ich Zeit für eine Rücksendung?"
    for hit in index.search(question, k=3):
        extract(question, hit, index)
    built = rss_mb()
    print(
        f"+ index of {len(index.passages)} passages ({where}) searched: {built:.0f} MB "
        f"(+{built - before:.0f} MB in all)"
    )


if __name__ == "__main__":
    main(*sys.argv[1:2])
