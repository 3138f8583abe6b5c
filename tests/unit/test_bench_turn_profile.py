"""The turn profile's pure parts: timers' exclusive buckets, graph-node buckets, a turn's
split, the summary and the Markdown table. Nothing here loads a model or times anything
that is checked: `python -m bench.turn_profile --turns 2` is the end-to-end run."""

from __future__ import annotations

import asyncio

from bench import turn_profile as tp


def test_turn_profile_node_buckets_follow_the_graph_run_they_belong_to():
    nlu, policy = tp.NLU_GRAPH, tp.POLICY_GRAPH
    name = "run_shopassist.nlu.transformer_featurizer.TransformerFeaturizer3"
    assert tp.node_bucket(name, nlu) == "nlu: TransformerFeaturizer"
    assert tp.node_bucket("run_TEDPolicy2", policy) == "policy: TEDPolicy"
    assert tp.node_bucket("select_prediction", policy) == "policy: ensemble (select_prediction)"
    assert tp.node_bucket("domain_provider", nlu) == "nlu: providers and converters"
    assert tp.node_bucket("domain_provider", policy) == "policy: providers and converters"
    # Outside both runs, the name decides.
    assert tp.node_bucket("run_RulePolicy0", None) == "policy: RulePolicy"
    assert tp.node_bucket("run_DIETClassifier5", None) == "nlu: DIETClassifier"


def test_turn_profile_timers_are_exclusive_and_reset_on_take():
    timings = tp.Timings()
    outer = timings.begin("outer")
    inner = timings.begin("inner")
    timings.end(inner)
    timings.end(outer)
    timings.add("counted", 0.5, count=2)
    taken = timings.take()
    assert set(taken) == {"outer", "inner", "counted"}
    assert taken["counted"] == {"ms": 500.0, "calls": 2}
    assert taken["outer"]["calls"] == taken["inner"]["calls"] == 1
    assert timings.take() == {}


def test_turn_profile_timed_wraps_sync_and_async_and_names_by_parent():
    timings = tp.Timings()

    def node(*_args):
        return "done"

    async def graph():
        return timed_node("x")

    timed_node = tp.timed(timings, lambda args, parent: f"{parent}/{args[0]}", node)
    timed_graph = tp.timed(timings, "graph", graph)
    assert asyncio.run(timed_graph()) == "done"
    assert set(timings.take()) == {"graph", "graph/x"}
    timings.enabled = False
    assert asyncio.run(timed_graph()) == "done"
    assert timings.take() == {}


def test_turn_profile_request_parts_count_where_they_were_called():
    name = tp.request_part(tp.DOMAIN_DICT)
    assert name((), tp.REQUEST_BODY) == tp.DOMAIN_DICT
    assert name((), tp.SAVE) == tp.SAVE
    assert name((), None) == tp.RASA_OTHER


def test_turn_profile_embed_bucket_tells_the_question_from_a_passage():
    assert tp.embed_bucket((object(), ["where is it?"]), None) == "encoder"
    assert tp.embed_bucket((object(), ["q", "one.", "two."]), None) == "sentences"


def ms(value: float) -> dict:
    return {"ms": value, "calls": 1}


def test_turn_profile_split_adds_up_to_the_turn():
    rasa = {
        "nlu: DIETClassifier": ms(6.0),
        tp.REMOTE: ms(2.0),
        tp.ROUND_TRIP: ms(30.0),
        tp.RASA_OTHER: ms(1.0),  # a part timed at the top level: in the rest anyway
    }
    server = {
        "handler": ms(25.0),
        "executor": ms(24.0),
        "database": ms(5.0),
        "encoder": ms(3.0),
        "sentences": ms(10.0),
        "knowledge": ms(1.0),
    }
    parts = tp.split_turn(rasa, server, 50.0)
    assert parts[tp.TRANSPORT] == 5.0
    assert parts[tp.HANDLER] == 1.0
    assert parts[tp.ACTION_CODE] == 5.0
    assert parts[tp.SENTENCES] == 10.0
    assert tp.ROUND_TRIP not in parts
    assert parts[tp.RASA_OTHER] == 50.0 - 6.0 - 2.0 - 30.0
    assert abs(sum(parts.values()) - 50.0) < 1e-9
    # Without the server's figures the round trip stays whole.
    assert tp.split_turn({tp.ROUND_TRIP: ms(30.0)}, {}, 40.0) == {
        tp.ROUND_TRIP: 30.0,
        tp.RASA_OTHER: 10.0,
    }


def turns():
    return [
        {
            "label": "greeting",
            "total_ms": total,
            "bare_ms": total - 1,
            "parts": {"nlu: DIETClassifier": diet, tp.RASA_OTHER: total - diet},
            "calls": {"predictions": 2, "action_calls": 0},
        }
        for total, diet in ((40.0, 6.0), (50.0, 8.0), (45.0, 7.0))
    ] + [
        {
            "label": "faq",
            "total_ms": 100.0,
            "parts": {tp.DATABASE: 3.0, tp.RASA_OTHER: 97.0},
            "calls": {"predictions": 3, "action_calls": 1},
        }
    ]


def test_turn_profile_summary_means_medians_and_missing_parts():
    summary = tp.summarise(turns())
    greeting = summary["greeting"]
    assert greeting["nlu: DIETClassifier"] == {"mean": 7.0, "p50": 7.0}
    assert greeting[tp.TURN] == {"mean": 45.0, "p50": 45.0}
    assert greeting[tp.BARE] == {"mean": 44.0, "p50": 44.0}
    assert greeting["turns"]["mean"] == 3
    assert greeting["predictions"]["mean"] == 2
    assert tp.BARE not in summary["faq"]  # no bare time given


def test_turn_profile_table_rows_in_order_with_totals():
    lines = tp.table(tp.summarise(turns()), ["greeting", "faq", "not run"])
    assert lines[0] == "| ms, mean / p50 | greeting | faq |"
    rows = [line.split(" | ")[0].lstrip("| ") for line in lines[2:]]
    assert rows[0] == "nlu: DIETClassifier"
    assert rows.index(tp.DATABASE) < rows.index(tp.RASA_OTHER)
    assert "| nlu: DIETClassifier | 7.0 / 7.0 | – |" in lines
    assert f"| {tp.DATABASE} | – | 3.0 / 3.0 |" in lines
    assert any(line.startswith("| **turn, bare**") and "| **–** |" in line for line in lines)
    assert lines[-1] == "| turns measured | 3 | 1 |"
    assert "| policy runs (predicted actions) per turn | 2.0 | 3.0 |" in lines


def test_turn_profile_small_figures_are_not_shown_as_zero():
    assert tp._cell({"mean": 0.01, "p50": 0.0}) == "<0.1 / 0.0"
    assert tp._cell(None) == "–"


def test_turn_profile_render_names_the_command_machine_and_load():
    result = {
        "date": "2026-12-07 15:45 UTC",
        "command": "python -m bench.turn_profile --write",
        "machine": {"cpu": "CPU", "cores": 2, "ram_gib": 8, "python": "3.10", "rasa": "3.6"},
        "load_average_1min": [1.5, 2.25],
        "model": "models/m.tar.gz",
        "rounds": 3,
        "warmup_rounds": 1,
        "summary": tp.summarise(turns()),
    }
    text = tp.render(result)
    assert "`python -m bench.turn_profile --write`" in text
    assert "load average 1.50 before, 2.25 after" in text
    assert "- greeting: “hi”" in text
    assert "<!--" not in text
