"""Knowledge answers: each generator backend on the graded policy questions, in one run.

For every question of tests/knowledge/policy_questions.yml the full path runs
(retrieval -> generator -> grounding check -> fallback), as action_answer_question runs it
without the ResponseSelector's curated answers, and the reply the customer would get is
scored:
- correct: an answerable question's reply contains every `must_include` string; an
  unanswerable one gets the "I'm not sure" reply;
- unsupported facts sent: facts (numbers, amounts, dates, names) in the reply that the
  passages it was built from do not contain (grounding.unsupported_facts);
- fallback: the generator was asked but its text was not sent (failed the check, said it
  did not know, failed or timed out);
- latency per question (warm, one at a time), and tokens per second for the models.
The template backend (best passage, no model) is the baseline.

Any OpenAI-compatible server runs beside it too (a shop's own model on vLLM or llama.cpp's
server, with the same questions and the same checker): --url and --model, or the
SHOPASSIST_LLM_URL and SHOPASSIST_LLM_MODEL the assistant reads (SHOPASSIST_LLM_API_KEY
for its key; SHOPASSIST_LLM_TIMEOUT applies as in production).

    .venv/bin/python -m bench.knowledge [--gguf FILE ...] [--url URL --model NAME] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bench.report import table

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = REPO / "tests" / "knowledge" / "policy_questions.yml"
OUT = REPO / "results" / "bench" / "knowledge"
MARKERS = ("<!-- generation-bench:start -->", "<!-- generation-bench:end -->")


def load_questions() -> List[Dict[str, Any]]:
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]


def score(question: Dict[str, Any], reply) -> bool:
    if not question["answerable"]:
        return reply.source == "unknown"
    text = reply.text.lower()
    return reply.source != "unknown" and all(m.lower() in text for m in question["must_include"])


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def reply_row(question: Dict[str, Any], reply, names) -> Dict[str, Any]:
    """One question's reply as every knowledge benchmark records it: scored, and the facts
    it states that its passages don't hold (none for "I'm not sure")."""
    from shopassist.generation.grounding import unsupported_facts

    sources = "\n".join(f"{h.passage.title}: {h.passage.text}" for h in reply.hits)
    unsupported = [] if reply.source == "unknown" else unsupported_facts(reply.text, sources, names)
    return {
        "id": question["id"],
        "question": question["question"],
        "reply": reply.text,
        "source": reply.source,
        "problems": list(reply.problems),
        "correct": score(question, reply),
        "unsupported": unsupported,
    }


def run_backend(label: str, generator, questions, index, names) -> Dict[str, Any]:
    from shopassist.generation.knowledge_answers import answer_question

    rows, latencies, tokens, gen_seconds = [], [], 0, 0.0
    for question in questions:
        started = time.perf_counter()
        reply = answer_question(question["question"], index, generator, names)
        latencies.append(time.perf_counter() - started)
        stats = getattr(generator, "last_stats", None) or {}
        if reply.source != "unknown" and generator.name != "template" and stats:
            tokens += stats.get("tokens", 0)
            gen_seconds += stats.get("seconds", 0.0)
            generator.last_stats = {}
        rows.append({**reply_row(question, reply, names), "seconds": round(latencies[-1], 3)})
    asked = generator.name != "template"
    generated = sum(r["source"] == generator.name for r in rows)
    fallbacks = sum(1 for r in rows if asked and r["source"] == "passage")
    return {
        "backend": label,
        "questions": len(rows),
        "correct": sum(r["correct"] for r in rows),
        "answerable_correct": sum(r["correct"] for r, q in zip(rows, questions) if q["answerable"]),
        "answerable": sum(q["answerable"] for q in questions),
        "unanswerable_correct": sum(
            r["correct"] for r, q in zip(rows, questions) if not q["answerable"]
        ),
        "unsupported_sent": sum(bool(r["unsupported"]) for r in rows),
        "generated_sent": generated,
        "fallbacks": fallbacks,
        "p50_s": percentile(latencies, 0.5),
        "p95_s": percentile(latencies, 0.95),
        "mean_s": statistics.mean(latencies),
        "tokens_per_s": (tokens / gen_seconds) if gen_seconds else None,
        "rows": rows,
    }


def endpoint(args, env=os.environ):
    """(url, model) of the OpenAI-compatible server to measure, or None: the command line
    first, then the assistant's own settings."""
    url = args.url or env.get("SHOPASSIST_LLM_URL") or ""
    model = args.model or env.get("SHOPASSIST_LLM_MODEL") or ""
    if not url:
        return None
    if not model:
        raise SystemExit("--url needs --model (or SHOPASSIST_LLM_MODEL): the name it serves")
    return url, model


def slug(label: str) -> str:
    """A backend's label as a file name: 'embedded X.gguf, 2 threads (load 0.3 s)' ->
    'embedded_X.gguf_2_threads'."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", label.split(" (")[0]).strip("_")


def render(results: List[Dict[str, Any]], machine: Dict[str, Any], command: str) -> str:
    lines = [
        "## Generation: knowledge answers, each backend on the graded policy questions",
        "",
        f"Measured on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine['cpu']}, "
        f"{machine['cores']} cores, {machine['ram_gib']} GiB RAM. Command: `{command}`.",
        "",
        f"{results[0]['questions']} questions from `tests/knowledge/policy_questions.yml` "
        f"({results[0]['answerable']} answerable, "
        f"{results[0]['questions'] - results[0]['answerable']} not covered by the help pages), "
        "one at a time after one warm-up question, the full path of `action_answer_question` "
        "without the ResponseSelector's curated answers. Baseline: the template backend "
        "(the best passage's most relevant sentences, no model).",
        "",
    ]
    head = [
        "backend",
        "correct (all)",
        "answerable correct",
        'not covered -> "not sure"',
        "unsupported facts sent",
        "generated text sent",
        "fell back to the passage",
        "reply p50 / p95 (s)",
        "tokens/s",
    ]
    rows = [
        [
            r["backend"],
            f"{r['correct']}/{r['questions']} ({r['correct'] / r['questions']:.0%})",
            f"{r['answerable_correct']}/{r['answerable']}",
            f"{r['unanswerable_correct']}/{r['questions'] - r['answerable']}",
            r["unsupported_sent"],
            r["generated_sent"],
            r["fallbacks"],
            f"{r['p50_s']:.2f} / {r['p95_s']:.2f}",
            f"{r['tokens_per_s']:.1f}" if r["tokens_per_s"] else "-",
        ]
        for r in results
    ]
    lines += table(head, rows)
    lines.append("")
    lines.append(
        "Per-question replies, sources and the reasons for each fallback: "
        "`results/bench/knowledge/<backend>.json`."
    )
    return "\n".join(lines) + "\n"


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gguf", action="append", default=[], help="also run this GGUF model")
    parser.add_argument("--no-default-model", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--url", help="an OpenAI-compatible server, up to /v1 (beside the rest)")
    parser.add_argument("--model", help="the model name that server knows")
    parser.add_argument("--limit", type=int, default=0, help="first N questions only")
    parser.add_argument("--write", action="store_true", help="update bench/BENCHMARKS.md")
    return parser


def main(argv=None) -> int:
    sys.path.insert(0, str(REPO))
    from bench import machine
    from bench.report import publish
    from shopassist.generation.knowledge_answers import answer_question
    from shopassist.generation.template import TemplateGenerator
    from shopassist.knowledge import get_index
    from shopassist.knowledge.catalog import catalog_names

    args = arguments().parse_args(argv)

    questions = load_questions()
    if args.limit:
        questions = questions[: args.limit]
    index = get_index()
    names = catalog_names()
    backends = [("template (best passage)", TemplateGenerator())]
    models = [] if args.no_default_model else [None]
    models += [Path(p) for p in args.gguf]
    from shopassist.generation.embedded import EmbeddedGenerator, model_file

    for path in models:
        started = time.perf_counter()
        generator = EmbeddedGenerator(path, threads=args.threads)
        load = time.perf_counter() - started
        label = (
            f"embedded {(path or model_file()).name}, {args.threads} threads (load {load:.1f} s)"
        )
        backends.append((label, generator))
    server = endpoint(args)
    if server:
        from shopassist.generation.openai_compatible import OpenAICompatibleGenerator

        url, model = server
        backends.append((f"openai {model} at {url}", OpenAICompatibleGenerator(url, model)))
    results = []
    for label, generator in backends:
        answer_question("what is your return policy", index, generator, names)  # warm-up
        result = run_backend(label, generator, questions, index, names)
        results.append(result)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / f"{slug(label)}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(
            f"{label}: correct {result['correct']}/{result['questions']}, unsupported sent "
            f"{result['unsupported_sent']}, generated {result['generated_sent']}, fallbacks "
            f"{result['fallbacks']}, p50 {result['p50_s']:.2f} s, p95 {result['p95_s']:.2f} s",
            flush=True,
        )
    given = " ".join(sys.argv[1:] if argv is None else argv)
    command = (
        "make bench-generation" if given == "--write" else f"python -m bench.knowledge {given}"
    )
    from bench import knowledge_threshold

    section = render(results, machine.describe(), command)
    section += "\n" + knowledge_threshold.render(knowledge_threshold.sweep(index))
    (OUT / "REPORT.md").write_text(section, encoding="utf-8")
    publish(section, MARKERS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
