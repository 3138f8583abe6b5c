"""Benchmark harness: `make bench` runs every benchmark registered here.

Each benchmark measures ShopAssist beside a baseline in the same run and prints its figures;
the latest are written down in bench/BENCHMARKS.md with the command that produced them.
No benchmark is registered yet (NLU, generation and serving benchmarks come with their issues).
"""

from __future__ import annotations

import platform
import sys
import time
from typing import Callable, Dict

BENCHMARKS: Dict[str, Callable[[], None]] = {}


def main() -> int:
    print(f"bench: {platform.node()} {platform.machine()} Python {platform.python_version()}")
    if not BENCHMARKS:
        print("bench: no benchmarks registered yet; nothing measured.")
        return 0
    for name, run in BENCHMARKS.items():
        start = time.perf_counter()
        run()
        print(f"bench: {name} took {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
