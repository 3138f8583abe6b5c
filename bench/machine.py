"""What the figures were measured on: they mean little without the machine beside them."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any, Dict


def _cpuinfo_model(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _meminfo_gib(text: str) -> float | None:
    for line in text.splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)  # kB -> GiB
    return None


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def describe() -> Dict[str, Any]:
    try:
        from importlib.metadata import version

        rasa_version = version("rasa")
    except Exception:  # noqa: BLE001 - a missing version must not stop a benchmark
        rasa_version = "unknown"
    return {
        "cpu": _cpuinfo_model(_read("/proc/cpuinfo")),
        "cores": os.cpu_count(),
        "ram_gib": _meminfo_gib(_read("/proc/meminfo")),
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
        "rasa": rasa_version,
        "host": platform.node(),
    }
