"""The knowledge base: pages split into passages, the cached index, retrieval quality."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from shopassist.knowledge.documents import load_passages, parse_page
from shopassist.knowledge.index import KnowledgeIndex

QUESTIONS = yaml.safe_load(
    (Path(__file__).parents[1] / "knowledge" / "policy_questions.yml").read_text()
)["questions"]


def test_a_page_becomes_one_passage_per_section():
    page = "# Returns\n\nIntro text.\n\n## Return window\nYou have **30 days**.\n\n## Fees\n- $6.95 [link](http://x)\n"
    passages = parse_page("returns.md", page)
    assert [p.id for p in passages] == ["returns.md#return-window", "returns.md#fees"]
    assert passages[0].page == "Returns"
    assert passages[0].text == "You have 30 days."
    assert passages[1].text == "- $6.95 link"
    assert passages[0].embedding_text.startswith("Returns: Return window.")


def test_asked_questions_are_search_keys_never_passage_text():
    page = (
        "# Returns\n## Return window\n\n<!-- asked:\n- can I still send it back?\n"
        "- how long do i have to return\n-->\n\nYou have 30 days.\n<!-- a note -->\n"
    )
    (passage,) = parse_page("returns.md", page)
    assert passage.text == "You have 30 days."
    assert passage.questions == ("can I still send it back?", "how long do i have to return")


def test_every_section_lists_the_questions_it_answers():
    for passage in load_passages():
        assert 4 <= len(passage.questions) <= 6, passage.id
        assert "<!--" not in passage.text and "asked:" not in passage.text, passage.id


def test_the_shop_pages_are_sections_of_sane_size():
    passages = load_passages()
    assert len(passages) >= 35
    assert len({p.id for p in passages}) == len(passages)
    for passage in passages:
        assert 20 <= len(passage.text.split()) <= 200, passage.id


class CountingEmbedder:
    """The real encoder, counting how many texts it embeds."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0
        self.dim, self.fingerprint = inner.dim, inner.fingerprint

    def embed(self, texts):
        self.calls += len(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def embedder():
    from shopassist.knowledge.embedder import get_embedder

    return get_embedder()


def test_the_index_is_cached_and_rebuilt_when_a_page_changes(tmp_path, embedder):
    passages = parse_page("a.md", "# A\n## One\nReturns take 30 days.\n## Two\nShipping is free.")
    counting = CountingEmbedder(embedder)
    first = KnowledgeIndex(passages, counting, tmp_path)
    assert counting.calls == 2 and first.cache_file.is_file()
    again = KnowledgeIndex(passages, counting, tmp_path)
    assert counting.calls == 2  # read from disk
    assert np.allclose(again.vectors, first.vectors)
    edited = parse_page("a.md", "# A\n## One\nReturns take 14 days.\n## Two\nShipping is free.")
    changed = KnowledgeIndex(edited, counting, tmp_path)
    assert counting.calls == 4 and changed.cache_file != first.cache_file
    assert [f.name for f in tmp_path.glob("index-*.npz")] == [changed.cache_file.name]


def test_a_broken_cache_file_is_rebuilt(tmp_path, embedder):
    passages = parse_page("a.md", "# A\n## One\nReturns take 30 days.")
    index = KnowledgeIndex(passages, embedder, tmp_path)
    index.cache_file.write_bytes(b"not an array")
    assert KnowledgeIndex(passages, embedder, tmp_path).vectors.shape == (1, embedder.dim)


def test_search_ranks_by_similarity_and_ignores_blank_questions(tmp_path, embedder):
    passages = parse_page(
        "a.md",
        "# Help\n## Returns\nYou can return items within 30 days of delivery.\n"
        "## Payment\nWe accept Visa, Mastercard and PayPal.",
    )
    index = KnowledgeIndex(passages, embedder, tmp_path)
    hits = index.search("can I pay with paypal?", k=2)
    assert hits[0].passage.title == "Payment" and hits[0].score > hits[1].score
    assert index.search("   ") == [] and index.search("") == []


def test_a_passage_is_found_by_its_asked_questions_and_counted_once(tmp_path, embedder):
    passages = parse_page(
        "a.md",
        "# Help\n## Returns\n<!-- asked:\n- do you take bitcoin\n-->\nReturn within 30 days.\n"
        "## Payment\nWe accept Visa, Mastercard and PayPal.",
    )
    index = KnowledgeIndex(passages, embedder, tmp_path)
    hits = index.search("do you take bitcoin", k=3)
    assert hits[0].passage.title == "Returns" and hits[0].score > 0.99  # its own key
    assert [h.passage.title for h in hits] == ["Returns", "Payment"]  # one hit per passage


def test_retrieval_finds_the_right_page_for_customer_questions(tmp_path, embedder):
    """Measured, not tuned to pass: 132 graded questions, the right page in the top 3."""
    index = KnowledgeIndex(load_passages(), embedder, tmp_path)
    answerable = [q for q in QUESTIONS if q["answerable"]]
    found = sum(
        q["source"] in {h.passage.source for h in index.search(q["question"], 3)}
        for q in answerable
    )
    assert len(answerable) >= 100
    assert found / len(answerable) >= 0.95
