"""The two pipelines under test, and their training with the `rasa train nlu` command.

stock: the exact file Rasa fills in when config.yml has no pipeline (what `rasa init` gives),
read from the installed package so it is the one of the Rasa version in use.
shopassist: config.yml as it is when the run starts (copied, so edits during the run don't mix in).
"""

from __future__ import annotations

import copy
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

# Components and policies whose epochs dominate training time; quick mode cuts them to 5.
EPOCH_COMPONENTS = {"DIETClassifier", "ResponseSelector", "TEDPolicy", "UnexpecTEDIntentPolicy"}
QUICK_EPOCHS = 5

# Env of every rasa command: offline models, no telemetry, quiet TF, code from the checkout,
# and no training cache, else a second run reuses trained components and times nothing.
RASA_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "RASA_MAX_CACHE_SIZE": "0",
}


def stock_config_path() -> Path:
    """rasa/engine/recipes/config_files/default_config.yml: the file DefaultV1Recipe reads."""
    spec = importlib.util.find_spec("rasa.engine.recipes.default_recipe")
    assert spec and spec.origin, "rasa is not installed in this environment"
    return Path(spec.origin).parent / "config_files" / "default_config.yml"


def load_config(path: Path) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def with_epochs(config: Dict[str, Any], epochs: int = QUICK_EPOCHS) -> Dict[str, Any]:
    """A copy of `config` with `epochs` for every DIET, ResponseSelector and TED (quick mode)."""
    patched = copy.deepcopy(config)
    for key in ("pipeline", "policies"):
        for item in patched.get(key) or []:
            if str(item.get("name", "")).rsplit(".", 1)[-1] in EPOCH_COMPONENTS:
                item["epochs"] = epochs
    return patched


def write_config(config: Dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def rasa_env(repo: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(RASA_ENV)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(repo), env.get("PYTHONPATH", "")) if p)
    return env


def rasa_command(*args: str) -> List[str]:
    # The rasa of the running interpreter's venv, whichever venv .venv points at today.
    return [str(Path(sys.executable).parent / "rasa"), *args]


def run_logged(command: List[str], log_path: Path, repo: Path) -> float:
    """Runs a command with its output in a log file; returns wall-clock seconds."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        log.write("$ " + " ".join(command) + "\n")
        log.flush()
        code = subprocess.run(
            command, cwd=repo, env=rasa_env(repo), stdout=log, stderr=subprocess.STDOUT
        ).returncode
    seconds = time.perf_counter() - start
    if code != 0:
        tail = "\n".join(log_path.read_text(encoding="utf-8").splitlines()[-30:])
        raise RuntimeError(f"command failed ({code}), log {log_path}:\n{tail}")
    return seconds


def train(
    name: str, config: Path, train_data: Path, domain: Path, models_dir: Path, repo: Path
) -> Tuple[Path, float, List[str]]:
    """(model file, training seconds, command): the whole `rasa train nlu` command timed."""
    command = rasa_command(
        "train", "nlu", "--config", str(config), "--nlu", str(train_data),
        "--domain", str(domain), "--out", str(models_dir / name), "--fixed-model-name", name,
    )  # fmt: skip
    seconds = run_logged(command, models_dir / name / "train.log", repo)
    return models_dir / name / f"{name}.tar.gz", seconds, command
