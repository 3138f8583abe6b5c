"""What the model-role benchmarks (choose, rephrase, tone, summary) share: their command
line, the model each `--model` names (a GGUF file, or a model an OpenAI-compatible endpoint
serves) and reading blind judgements back into a result."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

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
