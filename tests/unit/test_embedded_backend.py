"""The embedded backend: a real GGUF model run by llama.cpp inside this process."""

import re
import time

import pytest

from shopassist.generation.base import GenerationRequest
from shopassist.generation.embedded import EmbeddedGenerator, ModelFileNotFoundError, model_file
from shopassist.generation.grounding import check_answer
from shopassist.generation.knowledge_answers import answer_question
from shopassist.generation.provenance import PASSED
from shopassist.knowledge.documents import parse_page
from shopassist.knowledge.index import KnowledgeIndex

REQUEST = GenerationRequest(
    task="knowledge",
    template="Items can be returned within 30 days of delivery.",
    question="how long can I return things?",
    passages=("Return window: Items can be returned within 30 days of delivery.",),
)


@pytest.fixture(scope="module")
def generator():
    return EmbeddedGenerator(threads=1)


def test_the_default_model_ships_in_an_installed_package(monkeypatch):
    monkeypatch.delenv("SHOPASSIST_LLM_GGUF", raising=False)
    monkeypatch.delenv("SHOPASSIST_LLM_PACKAGE", raising=False)
    path = model_file()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_a_missing_model_is_named_in_the_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOPASSIST_LLM_GGUF", str(tmp_path / "nope.gguf"))
    with pytest.raises(ModelFileNotFoundError, match="nope.gguf"):
        model_file()
    monkeypatch.delenv("SHOPASSIST_LLM_GGUF")
    monkeypatch.setenv("SHOPASSIST_LLM_PACKAGE", "no_such_model_package")
    with pytest.raises(ModelFileNotFoundError, match="make setup"):
        model_file()


def test_its_texts_are_recorded_as_written_by_the_model_file(generator):
    assert generator.model == generator.path.name and generator.model.endswith(".gguf")


def test_the_model_generates_text_from_the_prompt(generator, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "30")
    text = generator.generate(REQUEST)
    assert text and text.strip()
    assert generator.last_stats["tokens"] > 0


def test_generation_stops_at_the_deadline(generator, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "0.01")
    started = time.monotonic()
    assert generator.generate(REQUEST) is None
    assert time.monotonic() - started < 5


def test_whatever_the_model_says_the_customer_gets_a_grounded_reply(
    generator, tmp_path, monkeypatch
):
    from shopassist.knowledge.embedder import get_embedder

    monkeypatch.setenv("SHOPASSIST_LLM_TIMEOUT", "30")
    index = KnowledgeIndex(
        parse_page(
            "help.md",
            "# Help\n## Return window\nItems can be returned within 30 days of delivery.\n",
        ),
        get_embedder(),
        tmp_path,
    )
    page = "Items can be returned within 30 days of delivery."
    question = "how long can I return things?"
    reply = answer_question(question, index, generator)
    assert reply.source in {"embedded", "passage"}
    if reply.source == "passage":  # the model's text was refused: the page's own words
        assert reply.text == page
    else:  # the model's text went out: it passed the check and keeps the page's figure
        assert reply.check == PASSED
        assert check_answer(reply.text, f"Return window: {page}", question=question).ok
        assert set(re.findall(r"\d+", reply.text)) == {"30"}, reply.text
