"""What the servers cost, read from /proc (psutil is not in the project's environment):
resident memory and CPU time of a process with its children, and which frameworks it has
loaded."""

from __future__ import annotations

import os
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

# Shared libraries whose mapping in /proc/<pid>/maps says the framework is loaded.
FRAMEWORK_LIBRARIES = {"tensorflow": "libtensorflow_framework", "torch": "libtorch_cpu"}


def parse_stat(text: str) -> Tuple[int, int]:
    """(parent pid, CPU clock ticks user + system) from /proc/<pid>/stat (comm may hold
    spaces and parentheses: the fields start after its last ')')."""
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def parse_rss_kb(status: str) -> Optional[int]:
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return ""


def process_tree(pid: int) -> List[int]:
    """`pid` and its descendants."""
    parents: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            text = _read(f"/proc/{entry}/stat")
            if text:
                parents.setdefault(parse_stat(text)[0], []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def rss_mb(pid: int) -> Dict[str, Any]:
    """Resident memory of a process and its children (MB), from /proc/<pid>/status."""
    pids = process_tree(pid)
    kb = [parse_rss_kb(_read(f"/proc/{p}/status")) for p in pids]
    known = [k for k in kb if k is not None]
    return {"rss_mb": round(sum(known) / 1024, 1) if known else None, "processes": len(known)}


def cpu_seconds(pids: Sequence[int]) -> float:
    """CPU time used so far by these processes and their children."""
    ticks = 0
    for pid in pids:
        for p in process_tree(pid):
            text = _read(f"/proc/{p}/stat")
            if text:
                ticks += parse_stat(text)[1]
    return ticks / os.sysconf("SC_CLK_TCK")


def frameworks_loaded(pid: int) -> Dict[str, bool]:
    maps = _read(f"/proc/{pid}/maps")
    return {name: library in maps for name, library in FRAMEWORK_LIBRARIES.items()}


def steady(pid: int, seconds: float = 2.0, limit: float = 120.0) -> None:
    """Returns when the process's RSS has moved less than 1 MB over `seconds` (or after
    `limit` seconds)."""
    deadline = time.monotonic() + limit
    last = rss_mb(pid).get("rss_mb") or 0.0
    while time.monotonic() < deadline:
        time.sleep(seconds)
        now = rss_mb(pid).get("rss_mb") or 0.0
        if abs(now - last) < 1.0:
            return
        last = now
