"""bench.choose: one table from runs saved apart, a set not run shown as such."""

from bench import choose


def result(backend, rss=None, sets=("a", "b")):
    row = {
        "backend": backend,
        "rss_mb": rss,
        "command": "python -m bench.choose",
        "measured_at": "2026-12-06 23:45 UTC",
        "load_avg": 1.5,
    }
    for key in sets:
        row[key] = {"correct": 3, "questions": 4, "unsupported_sent": 0, "asked": 4}
        row[key].update(none=1, fallbacks=0)
    if rss is not None:
        row.update(p50_s=0.5, p95_s=1.25, cold_warm={"compared": 3, "same": 3})
    return row


def test_the_table_has_one_row_per_backend_and_marks_sets_not_run():
    machine = {"cpu": "AMD EPYC", "cores": 2}
    text = choose.render([result("template"), result("choose, m", 674.3, ("a",))], machine)
    rows = [line for line in text.splitlines() if line.startswith("| ")][1:]
    assert rows[0].startswith("| template | 3/4 (75%) | 3/4 (75%) | 0 / 0 |")
    assert "| choose, m | 3/4 (75%) | not run | 0 / - |" in rows[1]
    assert "| 0.50 / 1.25 | 674 MB | 3/3 |" in rows[1]
    assert "`python -m bench.choose`, 2026-12-06 23:45 UTC, load average 1.5" in text
