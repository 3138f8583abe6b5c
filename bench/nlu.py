"""The NLU benchmark: ShopAssist's pipeline beside the stock `rasa init` one, on one split.

Steps: copy the inputs, split, train both, test both on the held-out part, time parses,
cross-validate ShopAssist's pipeline (full mode), score sentiment, write the report.
Full mode publishes to results/bench/ and bench/BENCHMARKS.md; quick mode (15% of each
intent, 5 epochs, no cross-validation) only to results/bench/quick/.

The run works in a private folder and copies it to results/ at the end (also after a
failure), so that nothing else touching results/ during a 45-minute run can mix in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List

from bench import evaluate, machine, pipelines, report, sentiment, split, threshold

REPO = Path(__file__).resolve().parent.parent
QUICK_FRAC = 0.15
CV_FOLDS = 3


class Workspace:
    """The private working folder, and how its paths read once published."""

    def __init__(self, published: Path) -> None:
        self.published = published
        self.root = Path(tempfile.mkdtemp(prefix="shopassist-bench-"))

    def display(self, text: str) -> str:
        """Paths in `text` as they read once published, relative to the checkout."""
        return text.replace(str(self.root), str(self.published)).replace(f"{REPO}/", "")

    def show(self, command: List[str]) -> str:
        """A command as typed in the checkout: `rasa ...`, paths as published."""
        return self.display(" ".join(["rasa", *command[1:]]))

    def publish(self) -> None:
        """Replaces what this run produced in results/bench[/quick], nothing else there."""
        self.published.mkdir(parents=True, exist_ok=True)
        for item in self.root.iterdir():
            target = self.published / item.name
            if target.is_dir():
                shutil.rmtree(target)
            if item.is_dir():
                shutil.copytree(item, target)
            else:
                shutil.copy2(item, target)
        shutil.rmtree(self.root, ignore_errors=True)


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def _copy_inputs(root: Path) -> Dict[str, Path]:
    """data/nlu, config.yml and domain.yml as they are now: others may edit them mid-run."""
    inputs = _fresh(root / "inputs")
    shutil.copytree(REPO / "data" / "nlu", inputs / "nlu")
    for name in ("config.yml", "domain.yml"):
        shutil.copy2(REPO / name, inputs / name)
    return {
        "nlu": inputs / "nlu",
        "config": inputs / "config.yml",
        "domain": inputs / "domain.yml",
    }


def _configs(root: Path, shopassist_config: Path, quick: bool) -> Dict[str, Path]:
    configs = {
        "stock": pipelines.load_config(pipelines.stock_config_path()),
        "shopassist": pipelines.load_config(shopassist_config),
    }
    if quick:
        configs = {name: pipelines.with_epochs(config) for name, config in configs.items()}
    folder = _fresh(root / "configs")
    return {
        name: pipelines.write_config(config, folder / f"{name}.yml")
        for name, config in configs.items()
    }


def _latency(model: Path, test_yml: Path, train_yml: Path, out_dir: Path) -> Dict[str, Any]:
    """Runs bench/latency.py in its own process; returns its figures without the predictions."""
    out_json = out_dir / "latency.json"
    command = [sys.executable, "-m", "bench.latency", str(model), str(test_yml)]
    command += [str(train_yml), str(out_json)]
    pipelines.run_logged(command, out_dir / "latency.log", REPO)
    figures = json.loads(out_json.read_text(encoding="utf-8"))
    figures.pop("predictions", None)  # kept in latency.json, too long for summary.json
    return figures


def _pipeline(
    name: str, config: Path, paths: Dict[str, Path], work: Workspace, commands: List[str]
) -> Dict[str, Any]:
    root = work.root
    result: Dict[str, Any] = {"config": work.display(str(config))}
    try:
        print(f"bench: nlu: training {name} ...", flush=True)
        model, seconds, command = pipelines.train(
            name, config, paths["train"], paths["domain"], root / "models", REPO
        )
        commands.append(work.show(command))
        result["train_seconds"] = round(seconds, 1)
        print(f"bench: nlu: {name} trained in {seconds:.0f} s; testing ...", flush=True)
        out_dir = _fresh(root / name)
        commands.append(work.show(evaluate.score_model(model, paths["test"], out_dir, REPO)))
        result["test"] = evaluate.read_test(out_dir)
        result["latency"] = _latency(model, paths["test"], paths["train"], out_dir)
        print(f"bench: nlu: {name}: p50 {result['latency']['p50_ms']:.1f} ms", flush=True)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        print(f"bench: nlu: {name} FAILED: {error}", flush=True)
        result["error"] = str(error)
    return result


def _measure(work: Workspace, quick: bool) -> Dict[str, Any]:
    root = work.root
    inputs = _copy_inputs(root)

    # One split for both pipelines, written to disk: the commands read exactly these files.
    data = split.load_nlu(inputs["nlu"], inputs["domain"])
    total = len(data.intent_examples)
    if quick:
        data = split.stratified_sample(data, QUICK_FRAC)
    train, test = split.split(data)
    paths = {
        "train": split.write(train, root / "train.yml"),
        "test": split.write(test, root / "test.yml"),
        "domain": inputs["domain"],
    }
    print(f"bench: nlu: {len(train.intent_examples)} train / {len(test.intent_examples)} test")

    configs = _configs(root, inputs["config"], quick)
    _fresh(root / "models")
    commands: List[str] = []
    results = {name: _pipeline(name, cfg, paths, work, commands) for name, cfg in configs.items()}

    cross_validation = None
    if not quick:
        print(f"bench: nlu: {CV_FOLDS}-fold cross-validation of ShopAssist ...", flush=True)
        out_dir = _fresh(root / "cross-validation")
        try:
            # On the train split only: the threshold is tuned on these predictions, and the
            # held-out split must not tune anything.
            command = evaluate.cross_validate(
                paths["train"], configs["shopassist"], out_dir, REPO, CV_FOLDS
            )
            commands.append(work.show(command))
            cross_validation = evaluate.read_cv(out_dir, CV_FOLDS)
            cross_validation["threshold"] = threshold.sweep(threshold.read_predictions(out_dir))
        except RuntimeError as error:
            print(f"bench: nlu: cross-validation FAILED: {error}", flush=True)

    sentiment_result = sentiment.run(
        REPO / "tests" / "sentiment" / "labelled_messages.csv",
        REPO / "shopassist" / "nlu" / "sentiment.py",
    )
    if "file" in sentiment_result:
        sentiment_result["file"] = str(Path(sentiment_result["file"]).relative_to(REPO))

    invocation = "make bench" if "MAKELEVEL" in os.environ else "bench/run.py"
    return {
        "mode": "quick" if quick else "full",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "bench/run.py --quick" if quick else invocation,
        "machine": machine.describe(),
        "data": {
            "source": "data/nlu",
            "examples_in_source": total,
            "examples": len(data.intent_examples),
            "intents": len(split.counts(data)),
            "train": len(train.intent_examples),
            "test": len(test.intent_examples),
            "train_frac": split.TRAIN_FRAC,
            "seed": split.SEED,
            "sample_frac": QUICK_FRAC if quick else None,
        },
        "epochs": pipelines.QUICK_EPOCHS if quick else None,
        "pipelines": results,
        "cross_validation": cross_validation,
        "sentiment": sentiment_result,
        "commands": commands,
        "failed": [name for name, result in results.items() if "error" in result]
        + ([] if quick or cross_validation else ["cross-validation"]),
    }


def run(quick: bool = False) -> Dict[str, Any]:
    started = time.perf_counter()
    published = REPO / "results" / "bench" / ("quick" if quick else "")
    if quick and published.exists():
        shutil.rmtree(published)  # quick/ holds one run only
    work = Workspace(published.resolve())
    try:
        summary = _measure(work, quick)
    finally:
        work.publish()  # logs of a failed run are worth keeping too
    summary["total_seconds"] = round(time.perf_counter() - started, 1)

    # A run with a failed part is kept in results/ but not written down as the latest figures.
    benchmarks_md = None if quick or summary["failed"] else REPO / "bench" / "BENCHMARKS.md"
    section = report.write(summary, published, benchmarks_md)
    print(section)
    print(f"bench: nlu: summary in {(published / 'summary.json').relative_to(REPO)}")
    if benchmarks_md:
        print("bench: nlu: bench/BENCHMARKS.md updated between the nlu-bench markers")
    elif not quick:
        print(f"bench: nlu: {', '.join(summary['failed'])} failed; BENCHMARKS.md left as it was")
    return summary
