"""What the model-role benchmarks (rephrase, tone, summary) share: their command line and
reading blind judgements back into a result."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable, Dict, List


def arguments(doc: str, judged: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--model", action="append", default=[], help="package or NAME=PATH.gguf")
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
