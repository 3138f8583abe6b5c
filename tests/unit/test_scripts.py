"""The setup and run scripts fail with one clear line, not a stack trace."""

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(args, **env):
    return subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, **env}
    )


def test_setup_refuses_a_python_that_is_not_3_10():
    other = shutil.which("python3.11") or shutil.which("python3")
    result = run(["scripts/setup-venv.sh"], PYTHON=other)
    assert result.returncode == 1
    assert "not a working Python 3.10" in result.stderr and "PYTHON=" in result.stderr


def test_setup_explains_where_to_get_python_3_10():
    # A PATH with neither python3.10 nor pyenv: the message must say what to do.
    result = run(["/bin/bash", "scripts/setup-venv.sh"], PATH="/usr/bin:/bin", PYTHON="")
    assert result.returncode == 1
    assert "Python 3.10 not found" in result.stderr and "pyenv install 3.10" in result.stderr


def test_run_reports_a_port_in_use():
    with socket.socket() as blocker:
        try:
            blocker.bind(("0.0.0.0", 5055))
            blocker.listen()
        except OSError:
            pytest.skip("port 5055 is already taken on this machine")
        result = run(["scripts/run.sh", "server"])
    assert result.returncode == 1
    assert "port 5055 is in use" in result.stderr and "ss -ltnp" in result.stderr
