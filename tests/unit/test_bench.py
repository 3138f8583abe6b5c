"""The NLU benchmark's pure parts: split, config patching, metrics, report, markers.

Nothing here trains or loads a model; `bench/run.py --quick` is the end-to-end check.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from bench import evaluate, knowledge, latency, pipelines, report, sentiment, split

INTENT_SIZES = {"greet": 10, "order_status": 23, "deny": 6, "inform": 41}
FAQ_SIZES = {"ask_hours": 8, "ask_shipping": 12}


@pytest.fixture()
def nlu_project(tmp_path: Path):
    """A small NLU data folder (with a regex and a retrieval intent) and its domain."""
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    blocks = ['version: "3.1"', "nlu:"]
    for intent, size in INTENT_SIZES.items():
        blocks.append(f"- intent: {intent}\n  examples: |")
        blocks += [f"    - {intent} example number {i}" for i in range(size)]
    for key, size in FAQ_SIZES.items():
        blocks.append(f"- intent: faq/{key}\n  examples: |")
        blocks += [f"    - faq {key} question {i}" for i in range(size)]
    (nlu / "examples.yml").write_text("\n".join(blocks) + "\n", encoding="utf-8")
    (nlu / "regex.yml").write_text(
        'version: "3.1"\nnlu:\n- regex: order_id\n  examples: |\n    - \\b\\d{6}\\b\n',
        encoding="utf-8",
    )
    domain = tmp_path / "domain.yml"
    domain.write_text(
        textwrap.dedent(
            """\
            version: "3.1"
            intents: [greet, order_status, deny, inform, faq]
            responses:
              utter_greet:
              - text: hi
              utter_faq/ask_hours:
              - text: We answer around the clock.
              utter_faq/ask_shipping:
              - text: Shipping takes 2-4 days.
            """
        ),
        encoding="utf-8",
    )
    return nlu, domain


def _texts(data) -> list:
    return [m.get("text") for m in data.intent_examples]


def test_split_is_stratified_disjoint_and_complete(nlu_project):
    data = split.load_nlu(*nlu_project)
    train, test = split.split(data)

    assert not set(_texts(train)) & set(_texts(test))
    assert sorted(_texts(train) + _texts(test)) == sorted(_texts(data))
    sizes = {**INTENT_SIZES, **{f"faq/{k}": n for k, n in FAQ_SIZES.items()}}
    train_counts, test_counts = split.counts(train), split.counts(test)
    for intent, size in sizes.items():
        # every class on both sides, about 20% held out
        assert train_counts[intent] >= 1 and test_counts[intent] >= 1
        assert abs(test_counts[intent] - 0.2 * size) <= 1.5, intent


def test_split_is_deterministic(nlu_project):
    first = split.split(split.load_nlu(*nlu_project))
    second = split.split(split.load_nlu(*nlu_project))
    assert _texts(first[0]) == _texts(second[0])
    assert _texts(first[1]) == _texts(second[1])
    other_seed = split.split(split.load_nlu(*nlu_project), seed=7)
    assert set(_texts(other_seed[1])) != set(_texts(first[1]))


def test_split_keeps_retrieval_responses_and_regexes(nlu_project, tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    train, test = split.split(split.load_nlu(*nlu_project))
    for part, name in ((train, "train.yml"), (test, "test.yml")):
        reread = load_data(str(split.write(part, tmp_path / "out" / name)))
        assert set(reread.responses) == {"utter_faq/ask_hours", "utter_faq/ask_shipping"}
        assert [r["name"] for r in reread.regex_features] == ["order_id"]
        assert split.counts(reread) == split.counts(part)


def test_stratified_sample_keeps_every_intent_and_is_deterministic(nlu_project):
    data = split.load_nlu(*nlu_project)
    sample = split.stratified_sample(data, 0.15)
    counts = split.counts(sample)
    assert counts == split.counts(split.stratified_sample(data, 0.15))
    assert _texts(sample) == _texts(split.stratified_sample(data, 0.15))
    assert counts["inform"] == round(0.15 * 41)
    assert counts["deny"] == 2  # at least two, so the 80/20 split has one on each side
    assert set(counts) == set(split.counts(data))
    assert sample.responses and sample.regex_features


def test_quick_epochs_patch_touches_only_epoch_components():
    config = {
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": "DIETClassifier", "epochs": 100, "random_seed": 42},
            {"name": "ResponseSelector", "epochs": 100},
            {"name": "FallbackClassifier", "threshold": 0.3},
        ],
        "policies": [{"name": "TEDPolicy", "epochs": 40}, {"name": "RulePolicy"}],
    }
    patched = pipelines.with_epochs(config, 5)
    assert [c.get("epochs") for c in patched["pipeline"]] == [None, 5, 5, None]
    assert patched["pipeline"][1]["random_seed"] == 42
    assert [p.get("epochs") for p in patched["policies"]] == [5, None]
    assert config["pipeline"][1]["epochs"] == 100  # the original is left alone


def test_stock_config_is_rasas_default():
    config = pipelines.load_config(pipelines.stock_config_path())
    names = [c["name"] for c in config["pipeline"]]
    assert names[0] == "WhitespaceTokenizer" and "DIETClassifier" in names
    assert names[-1] == "FallbackClassifier"


def test_sentiment_metrics_on_a_hand_made_list():
    gold = ["negative", "negative", "neutral", "positive", "positive", "positive"]
    predicted = ["negative", "neutral", "neutral", "positive", "negative", "positive"]
    result = sentiment.metrics(gold, predicted)

    assert result["accuracy"] == pytest.approx(4 / 6)
    assert result["per_label"]["negative"]["precision"] == pytest.approx(0.5)
    assert result["per_label"]["negative"]["recall"] == pytest.approx(0.5)
    assert result["per_label"]["neutral"]["precision"] == pytest.approx(0.5)
    assert result["per_label"]["neutral"]["recall"] == pytest.approx(1.0)
    assert result["per_label"]["positive"]["precision"] == pytest.approx(1.0)
    assert result["per_label"]["positive"]["recall"] == pytest.approx(2 / 3)
    assert result["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0.8) / 3)
    assert result["confusion"] == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]

    from sklearn.metrics import f1_score

    expected = f1_score(gold, predicted, labels=list(sentiment.LABELS), average="macro")
    assert result["macro_f1"] == pytest.approx(expected)


def test_sentiment_baselines_and_csv(tmp_path):
    assert sentiment.majority(["neutral", "positive", "positive"])("anything") == "positive"
    metrics = sentiment.metrics(["neutral", "neutral"], ["positive", "positive"])
    assert metrics["per_label"]["positive"]["precision"] == 0.0  # never a division by zero
    # the same cut-offs as ShopAssist's analyzer: <= -0.05 negative, >= 0.05 positive
    assert [sentiment.vader_label(c) for c in (-0.05, -0.04, 0.0, 0.049, 0.05)] == [
        "negative",
        "neutral",
        "neutral",
        "neutral",
        "positive",
    ]
    path = tmp_path / "labelled.csv"
    path.write_text('text,label\n"late, again",negative\nok,Neutral\nhmm,angry\n', encoding="utf-8")
    assert sentiment.read_labelled(path) == ([("late, again", "negative"), ("ok", "neutral")], 1)
    skipped = sentiment.run(tmp_path / "missing.csv", path)
    assert "missing.csv" in skipped["skipped"]


def test_percentile_and_fallback_counts():
    assert latency.percentile([10.0, 20.0, 30.0, 40.0], 50) == pytest.approx(25.0)
    assert latency.percentile([5.0], 95) == 5.0
    counts = latency.fallback_counts(
        [
            {"expected": "out_of_scope", "predicted": "nlu_fallback"},
            {"expected": "greet", "predicted": "nlu_fallback"},
            {"expected": "greet", "predicted": "greet"},
        ]
    )
    assert counts == {
        "messages": 3,
        "nlu_fallback": 2,
        "nlu_fallback_on_out_of_scope": 1,
        "nlu_fallback_on_in_scope": 1,
    }


def test_reports_are_read_from_rasa_json(tmp_path):
    row = {"precision": 0.9, "recall": 0.8, "f1-score": 0.85, "support": 10}
    intent = {
        "greet": row,
        "out_of_scope": {"precision": 0.5, "recall": 0.25, "f1-score": 0.33, "support": 4},
        "accuracy": 0.9,
        "macro avg": {**row, "f1-score": 0.88},
        "weighted avg": {**row, "f1-score": 0.89},
    }
    (tmp_path / "intent_report.json").write_text(json.dumps(intent))
    entity = {"order_id": row, "no_entity": row, "macro avg": row, "micro avg": row}
    (tmp_path / "DIETClassifier_report.json").write_text(json.dumps(entity))
    result = evaluate.read_test(tmp_path)
    assert result["intent"]["accuracy"] == 0.9 and result["intent"]["macro_f1"] == 0.88
    assert result["intent"]["out_of_scope"]["recall"] == 0.25
    assert result["entities"] == {
        "order_id": [
            {"extractor": "DIETClassifier", "precision": 0.9, "recall": 0.8, "f1": 0.85}
            | {"support": 10}
        ]
    }


def test_cross_validation_log_is_parsed():
    log = textwrap.dedent(
        """\
        2026-11-24 INFO rasa.nlu.test - F1-Score:  0.5
        2026-11-24 INFO rasa.model_testing - Intent evaluation results
        2026-11-24 INFO rasa.nlu.test - train Accuracy: 0.990 (0.004)
        2026-11-24 INFO rasa.nlu.test - test Accuracy: 0.951 (0.012)
        2026-11-24 INFO rasa.nlu.test - test F1-score: 0.948 (0.010)
        2026-11-24 INFO rasa.model_testing - Entity evaluation results
        2026-11-24 INFO rasa.nlu.test - test F1-score: 0.700 (0.100)
        """
    )
    parsed = evaluate.parse_cv_log(log)
    assert parsed["test"] == {"Accuracy": (0.951, 0.012), "F1-score": (0.948, 0.010)}
    assert parsed["train"] == {"Accuracy": (0.990, 0.004)}


def _fake_summary(mode: str = "full") -> dict:
    threshold_rows = [
        {"threshold": 0.3, "right": 900, "wrong": 30, "deflected": 10, "caught": 18, "cost": 70.0},
        {"threshold": 0.5, "right": 880, "wrong": 12, "deflected": 30, "caught": 36, "cost": 54.0},
    ]

    def pipeline(f1, oos_recall, p50, extractor, seconds):
        return {
            "train_seconds": seconds,
            "test": {
                "intent": {
                    "accuracy": f1 + 0.01,
                    "macro_f1": f1,
                    "out_of_scope": {"precision": 0.9, "recall": oos_recall},
                },
                "entities": {
                    "order_id": [
                        {"extractor": extractor, "f1": 0.97, "precision": 1, "recall": 0.94}
                        | {"support": 33}
                    ]
                },
            },
            "latency": {
                "p50_ms": p50,
                "p95_ms": p50 * 2,
                "load_average_1min": [1.5, 1.25],
                "fallback": {
                    "messages": 240,
                    "nlu_fallback": 3,
                    "nlu_fallback_on_out_of_scope": 2,
                    "nlu_fallback_on_in_scope": 1,
                },
            },
        }

    return {
        "mode": mode,
        "date": "2026-11-24 01:00 UTC",
        "command": "make bench",
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "ram_gib": 23.4,
            "os": "Linux",
            "python": "3.10.13",
            "rasa": "3.6.21",
        },
        "data": {
            "source": "data/nlu",
            "examples": 1198,
            "intents": 22,
            "train": 958,
            "test": 240,
            "train_frac": 0.8,
            "seed": 42,
            "sample_frac": 0.15 if mode == "quick" else None,
        },
        "epochs": 5 if mode == "quick" else None,
        "pipelines": {
            "stock": pipeline(0.912, 0.5, 9.87, "DIETClassifier", 125.0),
            "shopassist": pipeline(0.961, 0.75, 14.2, "RegexEntityExtractor", 95.4),
        },
        "cross_validation": None
        if mode == "quick"
        else {
            "folds": 3,
            "pooled": {"macro_f1": 0.955, "accuracy": 0.96},
            "per_fold_weighted_f1": (0.957, 0.008),
            "per_fold_accuracy": (0.96, 0.01),
            "threshold": {
                "examples": 958,
                "wrong_cost": 2.0,
                "rows": threshold_rows,
                "best": threshold_rows[1],
            },
        },
        "sentiment": {
            "file": "tests/sentiment/labelled_messages.csv",
            "rows": 6,
            "skipped_rows": 0,
            "gold_counts": {"negative": 2, "neutral": 1, "positive": 3},
            "results": {
                "majority class": sentiment.metrics(["positive"] * 6, ["positive"] * 6),
                "ShopAssist": sentiment.metrics(["negative"] * 6, ["negative"] * 6),
            },
        },
        "commands": ["rasa train nlu --config results/bench/configs/stock.yml"],
        "total_seconds": 1500,
    }


def test_report_renders_the_side_by_side_table():
    text = report.render(_fake_summary())
    lines = text.splitlines()
    assert lines[0].startswith("## NLU")
    assert (
        "| metric | stock (`rasa init`) | ShopAssist (config.yml) | target (ShopAssist) |" in lines
    )
    assert any(
        line.startswith("| intent macro-F1 (test split) | 0.912 | 0.961 |") for line in lines
    )
    assert "**met**" in text and "25 min 0 s" in text and "2 min 5 s" in text
    assert "| out_of_scope precision / recall (test split) | 0.900 / 0.500 | 0.900 / 0.750" in text
    assert "0.970 (DIETClassifier, n=33)" in text and "0.970 (RegexEntityExtractor, n=33)" in text
    assert "| 9.9 / 19.7 | 14.2 / 28.4 |" in text
    assert "3 of 240 (2 on out_of_scope)" in text
    assert "(2 cores): stock 1.50 → 1.25; ShopAssist 1.50 → 1.25." in text
    assert "Test CPU, 2 cores, 23.4 GiB RAM" in text and "958 to train, 240 held out" in text
    assert "0.955" in text and "0.957 ± 0.008" in text
    assert (
        "lowest at **0.50**" in text and "| 0.50 **(lowest)** | 880 | 12 | 30 | 36 | 54 |" in text
    )
    assert "| sentiment | majority class | ShopAssist |" in text
    assert "`rasa train nlu --config results/bench/configs/stock.yml`" in text
    # every row of the NLU table has as many cells as its header
    start = lines.index(next(line for line in lines if line.startswith("| metric |")))
    table = lines[start : lines.index("", start)]
    assert len(table) == 10 and {line.count("|") for line in table} == {5}


def test_entity_cell_shows_the_extractors_that_found_the_entity():
    regex = {"extractor": "RegexEntityExtractor", "f1": 0.0, "recall": 0.0, "support": 9}
    diet = {"extractor": "DIETClassifier", "f1": 0.8, "recall": 0.7, "support": 9}
    assert report._entity_cell([regex, diet]) == "0.800 (DIETClassifier, n=9)"
    assert report._entity_cell([regex]) == "0.000 (not found by RegexEntityExtractor; n=9)"
    assert report._entity_cell(None) == "not extracted"


def test_report_targets_not_met_and_quick_mode():
    summary = _fake_summary("quick")
    summary["pipelines"]["shopassist"]["test"]["intent"]["macro_f1"] = 0.9  # below stock
    summary["pipelines"]["shopassist"]["latency"]["p50_ms"] = 25.0
    summary["sentiment"] = {"skipped": "tests/sentiment/labelled_messages.csv not there"}
    text = report.render(summary)
    assert "quick mode" in text and "15% sample" in text and "5 epochs" in text
    assert "above stock: **not met**" in text and "p50 < 20 ms: **not met**" in text
    assert "skipped (quick mode)" in text
    assert "Sentiment: skipped (tests/sentiment/labelled_messages.csv not there)." in text


def test_markers_replacement_leaves_the_rest_untouched():
    before, after = "# Benchmarks\n\nintro\n\n", "\n## Later section\n\ntext\n"
    document = f"{before}{report.START}\nold table\n{report.END}{after}"
    replaced = report.replace_section(document, "new table\n")
    assert replaced == f"{before}{report.START}\nnew table\n{report.END}{after}"
    assert report.replace_section(replaced, "new table") == replaced  # idempotent


def test_markers_are_appended_when_absent():
    real = (Path(__file__).resolve().parents[2] / "bench" / "BENCHMARKS.md").read_text()
    document = real.split(report.START)[0].rstrip("\n") + "\n"  # the file without our section
    replaced = report.replace_section(document, "table")
    assert replaced.startswith(document)
    assert replaced[len(document) :] == f"\n{report.START}\ntable\n{report.END}\n"
    assert (
        report.replace_section("no newline", "t")
        == f"no newline\n\n{report.START}\nt\n{report.END}\n"
    )
    with pytest.raises(ValueError):
        report.replace_section(f"x\n{report.END}\n{report.START}\n", "t")


def test_write_only_touches_benchmarks_md_when_asked(tmp_path):
    benchmarks = tmp_path / "BENCHMARKS.md"
    benchmarks.write_text("# Benchmarks\n\nkept as it is\n")
    report.write(_fake_summary("quick"), tmp_path / "quick", None)
    assert benchmarks.read_text() == "# Benchmarks\n\nkept as it is\n"
    assert json.loads((tmp_path / "quick" / "summary.json").read_text())["mode"] == "quick"
    report.write(_fake_summary(), tmp_path / "full", benchmarks)
    assert benchmarks.read_text().startswith("# Benchmarks\n\nkept as it is\n\n" + report.START)


def test_workspace_publishes_over_its_own_folders_only(tmp_path):
    from bench.nlu import Workspace

    published = tmp_path / "results" / "bench"
    (published / "quick").mkdir(parents=True)
    (published / "quick" / "summary.json").write_text("{}")
    (published / "stock").mkdir()
    (published / "stock" / "stale_report.json").write_text("{}")
    work = Workspace(published)
    (work.root / "stock").mkdir()
    (work.root / "stock" / "intent_report.json").write_text("{}")
    (work.root / "train.yml").write_text("nlu: []\n")
    command = ["/venv/bin/rasa", "test", "nlu", "--out", str(work.root / "stock")]
    assert work.show(command) == f"rasa test nlu --out {published}/stock"

    work.publish()
    assert not work.root.exists()
    assert sorted(p.name for p in (published / "stock").iterdir()) == ["intent_report.json"]
    assert (published / "train.yml").read_text() == "nlu: []\n"
    assert (published / "quick" / "summary.json").exists()


def test_threshold_outcomes_and_the_cheapest_threshold(tmp_path):
    from bench import threshold

    successes = [
        {
            "intent": "order_status",
            "intent_prediction": {"name": "order_status", "confidence": 0.9},
        },
        {"intent": "faq/returns", "intent_prediction": {"name": "faq", "confidence": 0.35}},
        {
            "intent": "out_of_scope",
            "intent_prediction": {"name": "out_of_scope", "confidence": 0.2},
        },
    ]
    errors = [
        {"intent": "start_return", "intent_prediction": {"name": "faq", "confidence": 0.4}},
        {"intent": "deny", "intent_prediction": {"name": "stop", "confidence": 0.7}},
    ]
    (tmp_path / "intent_successes.json").write_text(json.dumps(successes))
    (tmp_path / "intent_errors.json").write_text(json.dumps(errors))
    predictions = threshold.read_predictions(tmp_path)
    assert ("faq", "faq", 0.35) in predictions and len(predictions) == 5

    at_half = threshold.outcomes(predictions, 0.5)
    # 0.9 right; faq 0.35 deflected; out of scope 0.2 caught; faq-for-return 0.4 caught; 0.7 wrong
    assert (at_half["right"], at_half["wrong"], at_half["deflected"], at_half["caught"]) == (
        1,
        1,
        1,
        2,
    )
    assert at_half["cost"] == threshold.WRONG_COST * 1 + 1

    result = threshold.sweep(predictions, [0.3, 0.5, 0.75])
    # 0.3: 2 wrong (return->faq, deny->stop), 0 deflected = 4; 0.5: 3; 0.75: 0 wrong, 1 deflected.
    assert [row["cost"] for row in result["rows"]] == [4.0, 3.0, 1.0]
    assert result["best"]["threshold"] == 0.75


def test_threshold_needs_the_successes(tmp_path):
    from bench import threshold

    with pytest.raises(FileNotFoundError, match="--successes"):
        threshold.read_predictions(tmp_path)


def _knowledge_args(*argv: str):
    return knowledge.arguments().parse_args(argv)


def test_the_generation_bench_measures_the_endpoint_the_assistant_would_use():
    env = {"SHOPASSIST_LLM_URL": "http://gpu:8000/v1", "SHOPASSIST_LLM_MODEL": "qwen-7b"}
    assert knowledge.endpoint(_knowledge_args(), env) == ("http://gpu:8000/v1", "qwen-7b")
    given = _knowledge_args("--url", "http://other/v1", "--model", "m")
    assert knowledge.endpoint(given, env) == ("http://other/v1", "m")
    assert knowledge.endpoint(_knowledge_args(), {}) is None
    with pytest.raises(SystemExit, match="--model"):
        knowledge.endpoint(_knowledge_args("--url", "http://gpu:8000/v1"), {})


def test_each_generation_backend_has_a_file_name_of_its_own():
    assert knowledge.slug("template (best passage)") == "template"
    assert (
        knowledge.slug("embedded SmolLM2-135M-Instruct.Q4_1.gguf, 2 threads (load 0.3 s)")
        == "embedded_SmolLM2-135M-Instruct.Q4_1.gguf_2_threads"
    )
    assert (
        knowledge.slug("openai qwen/7b at http://gpu:8000/v1")
        == "openai_qwen_7b_at_http_gpu_8000_v1"
    )


def test_the_independent_set_reads_only_its_intent_files():
    """Other benchmarks keep their sets beside it (upset_messages.csv has no intents)."""
    from bench.independent import load_messages

    rows, _ = load_messages("en")
    assert len(rows) > 2000
    assert all(row["text"] and row["intent"] for row in rows)
    assert "upset_messages.csv" not in {row["file"] for row in rows}


def test_the_encoder_runtime_table_shows_both_runtimes():
    from bench.encoder_runtime import markdown

    summary = {
        "date": "2026-12-07 14:41 UTC",
        "machine": {"cpu": "AMD EPYC", "cores": 2},
        "load_average": 0.5,
        "messages": 400,
        "max_abs_difference": 1.5e-06,
        "runtimes": [
            {
                "runtime": "torch",
                "load_s": 3.7,
                "p50_ms": 12.0,
                "p95_ms": 18.0,
                "peak_rss_mb": 1012,
                "torch_loaded": True,
            },
            {
                "runtime": "onnx",
                "load_s": 0.6,
                "p50_ms": 5.8,
                "p95_ms": 7.5,
                "peak_rss_mb": 199,
                "torch_loaded": False,
            },
        ],
    }
    table = markdown(summary, "python -m bench.encoder_runtime")
    assert "| torch | 3.7 | 12.0 | 18.0 | 1012 | yes |" in table
    assert "| onnx | 0.6 | 5.8 | 7.5 | 199 | no |" in table
    assert "1.5e-06" in table and "load average 0.5" in table
