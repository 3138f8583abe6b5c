"""Benchmark harness: `make bench` runs every benchmark registered here.

Each benchmark measures ShopAssist beside a baseline in the same run and prints its figures;
the latest are written down in bench/BENCHMARKS.md with the command that produced them.
Registered: nlu (ShopAssist's NLU pipeline beside the stock `rasa init` one, bench/nlu.py),
knowledge (knowledge answers of each generator backend beside the template backend,
bench/knowledge.py) and serving (cold start, throughput, turn latency, memory and turn cost
over a long conversation, ShopAssist beside the stock `rasa init` assistant on the same
loopback cluster, bench/serving/) and languages (intent accuracy and off-topic recall of
the independent sets of de, fr, es and zh beside English, and the share of replies in the
customer's language, bench/languages.py).

`--quick` (or BENCH_QUICK=1): small samples and few epochs, for developing and for tests;
results go to results/bench/quick/ only, never to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

# `python bench/run.py` puts bench/ first on sys.path; the modules import as `bench.*`.
REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _nlu(quick: bool) -> Dict[str, Any]:
    from bench import nlu  # imports Rasa: only when this benchmark runs

    return nlu.run(quick=quick)


def _knowledge(quick: bool) -> Dict[str, Any]:
    from bench import knowledge

    code = knowledge.main(["--limit", "20"] if quick else ["--write"])
    return {"failed": ["knowledge"] if code else []}


def _serving(quick: bool) -> Dict[str, Any]:
    from bench.serving import runner  # starts clusters (Rasa, action servers, HAProxy)

    # A full run writes its section of BENCHMARKS.md, as the NLU benchmark does.
    return runner.run(quick=quick, write=not quick)


def _languages(quick: bool) -> Dict[str, Any]:
    from bench import languages  # loads the model, then serves it

    return languages.run(quick=quick, write=not quick)


# name -> run(quick) returning its summary ("failed": names of the parts that failed).
BENCHMARKS: Dict[str, Callable[[bool], Dict[str, Any]]] = {
    "nlu": _nlu,
    "knowledge": _knowledge,
    "serving": _serving,
    "languages": _languages,
}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("BENCH_QUICK", "") not in ("", "0", "false"),
        help="15%% sample, 5 epochs, no cross-validation; writes to results/bench/quick/ only",
    )
    parser.add_argument("--only", choices=sorted(BENCHMARKS), help="run one benchmark")
    args = parser.parse_args(argv)

    print(f"bench: {platform.node()} {platform.machine()} Python {platform.python_version()}")
    failed = False
    for name, run in BENCHMARKS.items():
        if args.only and name != args.only:
            continue
        start = time.perf_counter()
        summary = run(args.quick)
        failed = failed or bool(summary.get("failed"))
        print(f"bench: {name} took {time.perf_counter() - start:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
