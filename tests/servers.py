"""Real servers for the tests that need them: the action server, Rasa, the console.

Each runs as its own process on a free port with a log file, exactly as `make run` starts
it; `assistant_servers` yields once all are answering and stops them afterwards.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest

from shopassist import topology
from shopassist.cluster import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOKEN_SECRET = "integration-tests-only-" + "0" * 24  # never used outside the tests
ACTION_TOKEN = "integration-tests-actions-" + "0" * 24  # Rasa -> action server, tests only


def current_model() -> Path:
    result = subprocess.run(
        [str(ROOT / "scripts" / "current-model.sh")], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail("these tests need a model for the current data: run 'make train' first")
    return ROOT / result.stdout.strip()


def base_env(db_url: str, **extra: str) -> Dict[str, str]:
    return {
        **os.environ,
        "SHOPASSIST_DB_URL": db_url,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        # Signs the customer tokens of the "logged-in page" tests.
        "SHOPASSIST_TOKEN_SECRET": TOKEN_SECRET,
        # The hostile corpus alone starts hundreds of conversations from 127.0.0.1.
        "SHOPASSIST_NEW_CONVERSATIONS_PER_MINUTE": "0",
        # Every test client is 127.0.0.1: the per-client identity limit would join them all.
        "SHOPASSIST_IDENTITY_FAILURES_PER_CLIENT": "1000",
        # ...and the tests share the demo customers' orders and addresses: no slow-down.
        "SHOPASSIST_IDENTITY_FREE_FAILURES_PER_TARGET": "1000",
        "SHOPASSIST_ACTION_TOKEN": ACTION_TOKEN,
        **extra,
    }


class Servers:
    """Started processes, stopped in reverse order (Rasa before the actions it calls)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.processes: List[subprocess.Popen] = []

    def start(self, name: str, command: List[str], env: Dict[str, str]) -> tuple:
        log = self.workdir / f"{name}.log"
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process, log

    def stop(self, process: Optional[subprocess.Popen] = None) -> None:
        for p in [process] if process else reversed(self.processes):
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def rasa_command(model: Path, port: int, endpoints: Path) -> List[str]:
    """`rasa run` as `make run` starts it: through shopassist.serve, which adds the API
    token from the environment inside the process, so it is on no command line."""
    return topology.rasa_command(
        model, str(BIN / "python"), port, endpoints, cors="*", logging_config=None, root=ROOT
    )


def rasa_env(env: Dict[str, str], auth_token: str) -> Dict[str, str]:
    """`env` with exactly this API token (none: an open API), whatever the caller's had."""
    result = {key: value for key, value in env.items() if key != "SHOPASSIST_RASA_TOKEN_FILE"}
    result["SHOPASSIST_RASA_TOKEN"] = auth_token
    return result


def endpoints_file(workdir: Path, action_port: int, tracker_db: Optional[Path] = None) -> Path:
    """An endpoints.yml as the project's, for an action server on `action_port`: Rasa sends
    the action server's secret; responses record what wrote them. With `tracker_db`,
    conversations are kept in that SQLite tracker store, else in memory."""
    endpoints = workdir / "endpoints.yml"
    text = (
        f'action_endpoint:\n  url: "{topology.action_url(port=action_port)}"\n'
        "  headers:\n    Authorization: Bearer ${SHOPASSIST_ACTION_TOKEN}\n"
        "nlg:\n  type: shopassist.nlg.RecordedResponses\n"
    )
    if tracker_db:
        text += (
            "tracker_store:\n  type: shopassist.tracker_store.BoundedSQLTrackerStore\n"
            f"  dialect: sqlite\n  db: {tracker_db}\n"
        )
    endpoints.write_text(text)
    return endpoints


@contextlib.contextmanager
def assistant_servers(
    workdir: Path, env: Dict[str, str], tracker_db: Optional[Path] = None, auth_token: str = ""
) -> Iterator[Dict[str, object]]:
    """The action server and the Rasa server (REST + socket.io); yields their URLs and ports.

    With `tracker_db`, conversations are kept in that SQLite tracker store (as `make run`
    keeps them in var/), else in memory."""
    model = current_model()
    action_port, rasa_port = free_port(), free_port()
    endpoints = endpoints_file(workdir, action_port, tracker_db)
    servers = Servers(workdir)
    try:
        actions, action_log = servers.start(
            "actions",
            topology.server_command(topology.ACTIONS, str(BIN / "python"), action_port),
            env,
        )
        command = rasa_command(model, rasa_port, endpoints)
        env = rasa_env(env, auth_token)
        rasa, rasa_log = servers.start("rasa", command, env)
        wait_until_up(topology.ACTIONS.health_url(port=action_port), actions, action_log)
        # Rasa listens once its model is loaded: its root answers then.
        wait_until_up(topology.RASA.health_url(port=rasa_port), rasa, rasa_log)
        yield {
            "rasa_url": f"http://127.0.0.1:{rasa_port}",
            "rasa_port": rasa_port,
            "rasa": rasa,
            "rasa_command": command,
            "rasa_env": env,
            "servers": servers,
        }
    finally:
        servers.stop()
