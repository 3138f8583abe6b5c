"""What the model-role benchmarks (choose, rephrase, tone, summary) share: their command
line, the model each `--model` names (a GGUF file, or a model an OpenAI-compatible endpoint
serves) and reading blind judgements back into a result."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Tuple

MODEL_HELP = "a model package, NAME=PATH.gguf, or NAME=URL (an endpoint up to /v1 serving NAME)"


def arguments(doc: str, judged: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--model", action="append", default=[], help=MODEL_HELP)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="update bench/BENCHMARKS.md")
    if judged:
        parser.add_argument(
            "--judged",
            action="append",
            default=[],
            help="MODEL=FILE: the blind judgement of that model's pairs",
        )
    return parser


def models(specs: List[str]) -> List[Tuple[str, str]]:
    """(NAME, PATH.gguf or URL) for each --model; a package's name stands for its file."""
    from shopassist.generation.embedded import model_file

    named = [spec.split("=", 1) if "=" in spec else [spec, str(model_file(spec))] for spec in specs]
    return [(name, where) for name, where in named]


def is_url(where: str) -> bool:
    return str(where).startswith(("http://", "https://"))


def writer(embedded: Callable, remote: Callable, name: str, where: str, threads: int):
    """The role on the endpoint at `where` (asking for the model `name`), or on the GGUF
    file at `where` in this process."""
    return remote(where, name) if is_url(where) else embedded(Path(where), threads=threads)


def loaded(embedded: Callable, remote: Callable, name: str, where: str, threads: int):
    """writer(), warmed up, and the memory its load added (MB)."""
    from bench.choose import rss_mb

    before = rss_mb()
    role = writer(embedded, remote, name, where, threads)
    role.warm()
    return role, rss_mb() - before


def timed_texts(role, requests: Iterable) -> Tuple[List[str], List[float]]:
    """The role's text for each request, and the seconds of each call it timed (a call the
    queue or an error cut short has none)."""
    texts, seconds = [], []
    for request in requests:
        role.last_stats = {}
        texts.append(role.generate(request))
        if role.last_stats:
            seconds.append(role.last_stats["seconds"])
    return texts, seconds


def line_result(label: str, rss: float, rows: List[Dict], seconds: List[float]) -> Dict:
    """A line role's result: how many lines passed their check, and the calls' p50/p95."""
    from bench.knowledge import percentile

    return {
        "backend": label,
        "rss_mb": rss,
        "passed": sum(not r["problems"] for r in rows),
        "p50_s": percentile(seconds, 0.5) if seconds else None,
        "p95_s": percentile(seconds, 0.95) if seconds else None,
        "rows": rows,
    }


def runs_on(where: str, threads: int) -> str:
    """How the results name where the model ran."""
    return "endpoint" if is_url(where) else f"{threads} thread(s)"


def apply_judgements(
    result: Dict[str, Any], specs: List[str], judge: Callable[[List[Dict], Path], Dict]
) -> None:
    """Each MODEL=FILE of `specs` judged into the result of the model named MODEL."""
    for spec in specs:
        label, file = spec.split("=", 1)
        for model in result["models"]:
            if model["backend"].split(", ")[1] == label:
                model["judged"] = judge(model["pairs"], Path(file))
                model["judged_by"] = Path(file).name


def cold_warm(
    generator, sets: Iterable[List[Dict]], index, count: int, request_for: Callable, patient=False
) -> Dict[str, int]:
    """Does a role's model say the same warm (after the questions before it) and cold (its
    prompt cache dropped)? Up to `count` answerable questions of each set; `request_for(
    question, hits, index)` builds the role's request. `patient`: the cold call gets 120 s,
    since it computes the prompt's prefix first (the reply's timeout would cut it off; the
    action server warms the prefix up at start)."""
    import os

    from shopassist import settings
    from shopassist.generation.knowledge_answers import UNKNOWN_BELOW

    same = asked = 0
    for questions in sets:
        compared = 0
        for question in questions:
            if compared == count:
                break
            hits = index.search(question["question"], k=3)
            if not hits or hits[0].score < UNKNOWN_BELOW:
                continue
            request = request_for(question["question"], hits, index)
            warm = generator.generate(request)
            generator.forget()
            configured = os.environ.get("SHOPASSIST_LLM_TIMEOUT")
            if patient:
                os.environ["SHOPASSIST_LLM_TIMEOUT"] = "120"
                settings.reload()  # settings are read once per process: read them again
            try:
                cold = generator.generate(request)
            finally:
                if patient:
                    os.environ.pop("SHOPASSIST_LLM_TIMEOUT")
                    if configured is not None:
                        os.environ["SHOPASSIST_LLM_TIMEOUT"] = configured
                    settings.reload()
            compared += 1
            same += warm == cold
        asked += compared
    return {"compared": asked, "same": same}
