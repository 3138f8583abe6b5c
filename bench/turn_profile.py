"""Where a turn's time goes, per kind of turn: NLU components, policies, tracker store, the
action call and the action server's own work.

    python -m bench.turn_profile [--turns 30] [--model PATH] [--write]

What runs (real components, no mocks):
- Rasa: the trained model loaded in this process by Rasa's `load_agent` from an endpoints
  file shaped like endpoints.yml (the embedded default: ShopAssist's BoundedSQLTrackerStore on
  SQLite, in-memory lock store, the RecordedResponses NLG, the action endpoint with its
  secret), the objects `rasa run` builds; each message goes to `Agent.handle_message` as the
  REST channel hands it over. Not in the figures: Rasa's own HTTP server and channel (the
  "Throughput and turn latency under load" table above has the turn through HTTP).
- Actions: two real action servers (`python -m shopassist.action_server`, a seeded SQLite
  shop database, the template generator): a plain one, and one started through this module
  (`--serve-actions`), the same app with timers around a few functions and a route that hands
  over (and resets) what they measured, `/bench/turn-timings`.

Why timers and not cProfile: cProfile times every Python call, which inflates Python-heavy
parts (Rasa's events and trackers, SQLAlchemy's ORM) several-fold while ONNX Runtime and
TensorFlow run at native speed, so its split would be skewed; it also sees only the thread
that started it, and a help-page answer runs in a worker thread. Timers around some 30
functions (Rasa's graph nodes, the processor's NLU and policy runs, the tracker store, the
remote action and its HTTP request, the NLG; in the action server the webhook handler,
rasa-sdk's executor, SQLAlchemy's session and results, the help-page answer and its encoder)
cost microseconds a turn, see every thread and give each turn its own figures, so medians
too. Each conversation runs twice, interleaved, so the load is the same for both: once with
the timers off against the plain action server (the "bare" turn time), once with them on.

Buckets are exclusive (time in a timed function nested in another one counts for the inner
one only), so they add up to the turn: "Rasa: other" is the turn minus every timed part
(the lock, events applied to the tracker, slot extraction, the loop between predictions).
The action call splits into Rasa's side (the request body: the tracker's state and the
domain; reading the reply), the transport (HTTP, aiohttp, Sanic outside the handler), the
handler outside rasa-sdk's executor (JSON, the secret check), and inside the executor the
database, the help-page encoder, the rest of the help-page answer, and the action's own code
with rasa-sdk. Figures: results/bench/turn_profile.json; with --write, the section between
the turn-profile markers of bench/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import report  # noqa: E402

MARKERS = ("<!-- turn-profile:start -->", "<!-- turn-profile:end -->")
OUT_JSON = REPO / "results" / "bench" / "turn_profile.json"
ANCHOR = date(2026, 11, 23)  # the shop database's seed anchor, as the tests use it
TIMINGS_PATH = "/bench/turn-timings"

FAQ_QUESTIONS = [
    "what is your return policy?",
    "how long does shipping take?",
    "can I pay with paypal?",
    "do you ship abroad?",
]

# The conversations, one of each kind per round; every one opens with a greeting. Each turn
# is (label, text): turns with the same label are pooled. {order}/{email}: a real pair.
KINDS: Dict[str, List[Tuple[str, str]]] = {
    "faq": [("greeting", "hi"), ("faq", "{question}")],
    "order": [
        ("greeting", "hi"),
        ("order number", "where is my order #{order}?"),
        ("e-mail (identity check, status)", "{email}"),
    ],
    "return": [
        ("greeting", "hi"),
        ("return: order number", "i want to return something from order #{return_order}"),
        ("return: e-mail (identity check)", "{return_email}"),
        ("return form: item", "the first one"),
        ("return form: reason", "it doesn't fit"),
        ("return form: condition (offer)", "still in the box"),
    ],
}
# The columns of the published table (every label is in the JSON).
COLUMNS = [
    "greeting",
    "faq",
    "order number",
    "e-mail (identity check, status)",
    "return form: reason",
]

# --------------------------------------------------------------------------- timers


class Timings:
    """Seconds per bucket, exclusive: a timed call nested in another timed call (same
    thread) is taken out of the outer one. `record` adds inclusive figures kept apart."""

    def __init__(self) -> None:
        self.enabled = True
        self._lock = threading.Lock()
        self._local = threading.local()
        self.totals: Dict[str, float] = defaultdict(float)
        self.counts: Dict[str, int] = defaultdict(int)

    def _stack(self) -> List[list]:
        stack = getattr(self._local, "stack", None)
        if stack is None:
            stack = self._local.stack = []
        return stack

    def parent(self) -> Optional[str]:
        stack = self._stack()
        return stack[-1][0] if stack else None

    def begin(self, bucket: str) -> list:
        frame = [bucket, time.perf_counter(), 0.0]
        self._stack().append(frame)
        return frame

    def end(self, frame: list) -> None:
        elapsed = time.perf_counter() - frame[1]
        stack = self._stack()
        if stack and stack[-1] is frame:
            stack.pop()
        if stack:
            stack[-1][2] += elapsed
        self.add(frame[0], elapsed - frame[2])

    def add(self, bucket: str, seconds: float, count: int = 1) -> None:
        with self._lock:
            self.totals[bucket] += seconds
            self.counts[bucket] += count

    def take(self) -> Dict[str, Dict[str, float]]:
        """What was measured since the last take, in milliseconds and calls; resets."""
        with self._lock:
            taken = {
                bucket: {"ms": seconds * 1000.0, "calls": self.counts[bucket]}
                for bucket, seconds in self.totals.items()
            }
            self.totals.clear()
            self.counts.clear()
        return taken


def timed(timings: Timings, bucket: Any, fn: Callable) -> Callable:
    """`fn` timed into `bucket` (a name, or a function of the call's arguments and the
    enclosing bucket giving one); a coroutine function stays one."""

    def name(args: tuple) -> str:
        return bucket(args, timings.parent()) if callable(bucket) else bucket

    if asyncio.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            if not timings.enabled:
                return await fn(*args, **kwargs)
            frame = timings.begin(name(args))
            try:
                return await fn(*args, **kwargs)
            finally:
                timings.end(frame)

        return async_wrapper

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not timings.enabled:
            return fn(*args, **kwargs)
        frame = timings.begin(name(args))
        try:
            return fn(*args, **kwargs)
        finally:
            timings.end(frame)

    return wrapper


def patch(owner: Any, attribute: str, timings: Timings, bucket: Any) -> None:
    setattr(owner, attribute, timed(timings, bucket, getattr(owner, attribute)))


# --------------------------------------------------------------------------- buckets (pure)

NLU_GRAPH = "nlu: graph runner and glue"
POLICY_GRAPH = "policy: graph runner and glue"
RETRIEVE = "tracker store: retrieve"
SAVE = "tracker store: save"
NLG = "responses (NLG)"
REMOTE = "action call: Rasa's side, rest (events from the reply)"
REQUEST_BODY = "action call: request body, rest"
TRACKER_STATE = "action call: request body, tracker state"
DOMAIN_DICT = "action call: request body, domain.as_dict()"
VALIDATION = "action call: reply validation (jsonschema)"
ROUND_TRIP = "action call: round trip"  # split at aggregation with the server's figures
RASA_OTHER = "Rasa: other (lock, events, slot extraction, loop)"
TRANSPORT = "action call: HTTP transport, Sanic outside the handler"
HANDLER = "action server: handler (JSON, secret check)"
EXECUTOR = "action server: executor"  # inclusive; its rest is the action's own code
ACTION_CODE = "action server: action code and rasa-sdk"
DATABASE = "action server: database (SQLAlchemy)"
ENCODER = "action server: help-page encoder, the question (ONNX)"
SENTENCES = "action server: help-page encoder, a passage's sentences (ONNX)"
KNOWLEDGE = "action server: help-page search and answer"
TURN = "turn (instrumented)"
BARE = "turn (bare: no timers)"

COUNTS = {
    "predictions": "policy runs (predicted actions) per turn",
    "action_calls": "action server calls per turn",
}
POLICY_NAMES = ("Policy", "select_prediction", "Ensemble")


def embed_bucket(args: tuple, _parent: Optional[str]) -> str:
    """SentenceEmbedder.embed(self, texts): one text is the question, more a passage's
    sentences (shopassist.generation.knowledge_answers.extract)."""
    texts = args[1] if len(args) > 1 else ()
    return "encoder" if len(texts) <= 1 else "sentences"


def request_part(bucket: str) -> Callable:
    """The bucket of a call made while Rasa builds an action's request body, else the
    enclosing bucket's (so that it counts where it was called)."""

    def name(_args: tuple, parent: Optional[str]) -> str:
        if parent == REQUEST_BODY:
            return bucket
        return parent or RASA_OTHER

    return name


def node_bucket(node_name: str, parent: Optional[str]) -> str:
    """A graph node's bucket: `nlu: <Component>` or `policy: <Policy>` after the graph run
    it belongs to (or its name, outside both)."""
    name = node_name
    for prefix in ("run_", "provide_"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    name = name.rstrip("0123456789").rsplit(".", 1)[-1] or node_name
    if parent is not None and parent.startswith(("nlu", "policy")):
        graph = parent.split(":", 1)[0]
    else:
        graph = "policy" if any(p in name for p in POLICY_NAMES) else "nlu"
    if name == "select_prediction":
        name = "ensemble (select_prediction)"
    elif name[:1].islower():  # domain_provider, nlu_message_converter, ...: Rasa's helpers
        name = "providers and converters"
    return f"{graph}: {name}"


def split_turn(rasa: Dict[str, Dict], server: Dict[str, Dict], total_ms: float) -> Dict[str, float]:
    """One turn's exclusive buckets in ms: the Rasa side's, the action server's (when
    measured) with the round trip split by them, and Rasa's unaccounted rest."""
    parts = {bucket: value["ms"] for bucket, value in rasa.items()}
    parts.pop(RASA_OTHER, None)  # what was timed there is in the rest below anyway
    round_trip = parts.pop(ROUND_TRIP, 0.0)
    if server:
        handler = server.get("handler", {}).get("ms", 0.0)
        executor = server.get("executor", {}).get("ms", 0.0)
        inner = {
            DATABASE: server.get("database", {}).get("ms", 0.0),
            ENCODER: server.get("encoder", {}).get("ms", 0.0),
            SENTENCES: server.get("sentences", {}).get("ms", 0.0),
            KNOWLEDGE: server.get("knowledge", {}).get("ms", 0.0),
        }
        parts[TRANSPORT] = round_trip - handler
        parts[HANDLER] = handler - executor
        parts[ACTION_CODE] = executor - sum(inner.values())
        parts.update(inner)
    elif round_trip:
        parts[ROUND_TRIP] = round_trip
    parts[RASA_OTHER] = total_ms - sum(parts.values())
    return parts


def summarise(turns: Sequence[Dict[str, Any]]) -> Dict[str, Dict[str, Dict[str, float]]]:
    """Per label and bucket: mean and p50 ms over the label's turns (a bucket a turn did not
    touch counts 0 for it), and the number of turns."""
    by_label: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    for turn in turns:
        by_label[turn["label"]].append(turn)
    result: Dict[str, Dict[str, Dict[str, float]]] = {}
    for label, group in by_label.items():
        buckets = list(dict.fromkeys(b for t in group for b in t["parts"]))  # as they ran
        figures: Dict[str, Dict[str, float]] = {}
        for bucket in buckets:
            values = [t["parts"].get(bucket, 0.0) for t in group]
            figures[bucket] = {"mean": statistics.fmean(values), "p50": statistics.median(values)}
        for key, bucket in (("total_ms", TURN), ("bare_ms", BARE)):
            values = [t[key] for t in group if t.get(key) is not None]
            if values:
                figures[bucket] = {
                    "mean": statistics.fmean(values),
                    "p50": statistics.median(values),
                }
        for key in COUNTS:
            values = [t.get("calls", {}).get(key, 0) for t in group]
            figures[key] = {"mean": statistics.fmean(values), "p50": statistics.median(values)}
        figures["turns"] = {"mean": float(len(group)), "p50": float(len(group))}
        result[label] = figures
    return result


def bucket_order(buckets: Iterable[str]) -> List[str]:
    """The table's rows: NLU, policies, tracker store, NLG, the action call from Rasa's side
    to the action's own work, Rasa's rest; the turn totals last."""
    groups = [
        lambda b: b.startswith("nlu: ") and b != NLU_GRAPH,
        lambda b: b == NLU_GRAPH,
        lambda b: b.startswith("policy: ") and b != POLICY_GRAPH,
        lambda b: b == POLICY_GRAPH,
        lambda b: b.startswith("tracker store"),
        lambda b: b == NLG,
    ]
    fixed = [
        TRACKER_STATE,
        DOMAIN_DICT,
        REQUEST_BODY,
        VALIDATION,
        REMOTE,
        ROUND_TRIP,
        TRANSPORT,
        HANDLER,
        ACTION_CODE,
        DATABASE,
        ENCODER,
        SENTENCES,
        KNOWLEDGE,
    ]
    pending = [b for b in buckets if b not in (TURN, BARE, "turns", *COUNTS)]
    ordered: List[str] = []
    for test in groups:
        ordered += [b for b in pending if test(b) and b not in ordered]
    ordered += [b for b in fixed if b in pending and b not in ordered]
    ordered += sorted(b for b in pending if b not in ordered and b != RASA_OTHER)
    if RASA_OTHER in pending:
        ordered.append(RASA_OTHER)
    return ordered


def _ms(value: float) -> str:
    return "<0.1" if 0 < abs(value) < 0.05 else f"{value:.1f}"


def _cell(figure: Optional[Dict[str, float]]) -> str:
    if not figure:
        return "–"
    return f"{_ms(figure['mean'])} / {_ms(figure['p50'])}"


def table(summary: Dict[str, Dict[str, Dict[str, float]]], columns: Sequence[str]) -> List[str]:
    """Markdown rows: one per bucket, one column per turn label, "mean / p50" ms."""
    columns = [c for c in columns if c in summary]
    buckets = bucket_order(dict.fromkeys(b for c in columns for b in summary[c]))
    rows = []
    for bucket in buckets:
        cells = [_cell(summary[c].get(bucket)) for c in columns]
        graph_node = bucket.startswith(("nlu: ", "policy: "))
        if not graph_node and all(cell in ("–", "0.0 / 0.0") for cell in cells):
            continue  # a part no column's turn has (the graph's components always show)
        rows.append([bucket, *cells])
    rows.append(
        [
            "**turn, timers on** (sum of the rows)",
            *(f"**{_cell(summary[c].get(TURN))}**" for c in columns),
        ]
    )
    rows.append(
        [
            "**turn, bare** (no timers, plain action server)",
            *(f"**{_cell(summary[c].get(BARE))}**" for c in columns),
        ]
    )
    for key, title in COUNTS.items():
        figures = [summary[c].get(key) for c in columns]
        rows.append([title, *("–" if f is None else f"{f['mean']:.1f}" for f in figures)])
    rows.append(["turns measured", *(str(int(summary[c]["turns"]["mean"])) for c in columns)])
    return report.table(["ms, mean / p50", *columns], rows)


def render(result: Dict[str, Any]) -> str:
    """The section of bench/BENCHMARKS.md for one run (without the markers)."""
    machine = result["machine"]
    load = result["load_average_1min"]
    texts = {label: f"“{text}”" for kind in KINDS.values() for label, text in kind}
    texts["faq"] = " / ".join(f"“{q}”" for q in FAQ_QUESTIONS) + " (in turn)"
    texts["greeting"] += ", the first message of every conversation (with the session start)"
    texts["order number"] += ", {order}: an order of a seeded customer, a different one each time"
    texts["e-mail (identity check, status)"] += (
        ", the order's owner: the form checks the pair, then the status is answered"
    )
    texts["return form: reason"] += (
        " after “i want to return something from order #…”, the e-mail and “the first one”"
    )
    columns = [c for c in COLUMNS if c in result["summary"]]
    lines = [
        f"Measured on {result['date']} with `{result['command']}` ({result['rounds']}"
        f" conversations of each kind, after {result['warmup_rounds']} not counted) on"
        f" {machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB RAM (Python"
        f" {machine['python']}, Rasa {machine['rasa']}); 1-minute load average"
        f" {load[0]:.2f} before, {load[1]:.2f} after; model `{result['model']}`.",
        "",
        "The model runs in the benchmark's process (Rasa's `load_agent` with an endpoints file"
        " like endpoints.yml: BoundedSQLTrackerStore on SQLite, in-memory lock store,"
        " RecordedResponses), each message handed to `Agent.handle_message` as the REST channel"
        " hands it over, so Rasa's HTTP server is not in these figures. The action servers are"
        " real (`python -m shopassist.action_server`, seeded SQLite shop database, template"
        " generator). Timers, not cProfile (which would inflate the Python-heavy parts and miss"
        " the help-page answer's worker thread): every bucket is exclusive and the rows add up"
        " to the turn. Timer overhead: compare the last two rows (each conversation ran once"
        " with the timers on and once without, interleaved). Columns:",
        "",
        *[f"- {c}: {texts[c]}" for c in columns],
        "",
        *table(result["summary"], columns),
        "",
        "How to read the rows: `nlu: X` and `policy: X` are the graph nodes' own run (Rasa's"
        " predict graph, one node per component); “graph runner and glue” is the rest of"
        " `parse_message` / `_predict_next_with_tracker` (dask, the message's conversion); the"
        " policies run once per predicted action. The action call is split into Rasa's side"
        " (building the request from the tracker's state and the domain; `jsonschema.validate` of"
        " the reply; reading its events),"
        " the HTTP transport (aiohttp, the socket, Sanic before and after the handler), the"
        " handler outside rasa-sdk's executor, and inside the executor the database"
        " (SQLAlchemy sessions, queries and results), the help-page encoder, the rest of the"
        " help-page answer, and the action's own code with rasa-sdk (the tracker rebuilt from"
        " JSON, the dispatcher, events). Every turn label of the run (the return's other form"
        " steps too) is in `results/bench/turn_profile.json`.",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- action server


def serve_actions(port: int) -> None:
    """The action server of `python -m shopassist.action_server`, with timers and a route
    that returns (and resets) what they measured since the last call."""
    timings = Timings()
    import rasa_sdk.executor
    import sqlalchemy.engine.result as result
    from sqlalchemy.orm import Session

    import actions.knowledge
    import shopassist.action_server as server
    from shopassist.knowledge.embedder import SentenceEmbedder

    for name in ("execute", "get", "add", "flush", "commit", "close", "scalar", "scalars"):
        patch(Session, name, timings, "database")
    for owner in (result.Result, result.ScalarResult):
        for name in ("all", "first", "one", "one_or_none", "scalar_one", "scalar_one_or_none"):
            if hasattr(owner, name):
                patch(owner, name, timings, "database")
    patch(SentenceEmbedder, "embed", timings, embed_bucket)
    patch(actions.knowledge, "knowledge_reply", timings, "knowledge")
    executor_run = rasa_sdk.executor.ActionExecutor.run

    async def timed_run(self: Any, action_call: Any) -> Any:
        started = time.perf_counter()
        try:
            return await executor_run(self, action_call)
        finally:
            timings.add("executor", time.perf_counter() - started)

    rasa_sdk.executor.ActionExecutor.run = timed_run
    build_app = server.build_app

    def build_timed_app(*args: Any, **kwargs: Any):
        from sanic import response

        app = build_app(*args, **kwargs)

        @app.on_request
        async def handler_started(request):
            request.ctx.bench_started = time.perf_counter()

        @app.on_response
        async def handler_ended(request, _response):
            started = getattr(request.ctx, "bench_started", None)
            if started is not None and request.path == "/webhook":
                timings.add("handler", time.perf_counter() - started)

        @app.get(TIMINGS_PATH)
        async def turn_timings(_request):
            return response.json(timings.take())

        return app

    server.build_app = build_timed_app
    server.main(["--port", str(port)])


# --------------------------------------------------------------------------- Rasa side


def instrument_rasa(agent: Any, timings: Timings) -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.engine.graph import GraphNode
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    original_call = GraphNode.__call__

    @functools.wraps(original_call)
    def node_call(self: Any, *inputs: Any) -> Any:
        if not timings.enabled:
            return original_call(self, *inputs)
        frame = timings.begin(node_bucket(self._node_name, timings.parent()))
        try:
            return original_call(self, *inputs)
        finally:
            timings.end(frame)

    GraphNode.__call__ = node_call
    patch(MessageProcessor, "parse_message", timings, NLU_GRAPH)
    patch(MessageProcessor, "_predict_next_with_tracker", timings, POLICY_GRAPH)
    patch(RemoteAction, "run", timings, REMOTE)
    patch(RemoteAction, "_action_call_format", timings, REQUEST_BODY)
    patch(RemoteAction, "_validate_action_result", timings, VALIDATION)
    patch(Domain, "as_dict", timings, request_part(DOMAIN_DICT))
    patch(DialogueStateTracker, "current_state", timings, request_part(TRACKER_STATE))
    patch(EndpointConfig, "request", timings, ROUND_TRIP)
    for name, bucket in (("retrieve", RETRIEVE), ("save", SAVE)):
        patch(agent.tracker_store, name, timings, bucket)
    patch(agent.nlg, "generate", timings, NLG)


def endpoints_file(folder: Path, action_url: str) -> Path:
    """endpoints.yml's embedded default, with the tracker store in `folder`."""
    path = folder / "endpoints.yml"
    path.write_text(
        f'action_endpoint:\n  url: "{action_url}"\n'
        "  headers:\n    Authorization: Bearer ${SHOPASSIST_ACTION_TOKEN}\n"
        "tracker_store:\n  type: shopassist.tracker_store.BoundedSQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {folder / 'trackers.db'}\n"
        "nlg:\n  type: shopassist.nlg.RecordedResponses\n",
        encoding="utf-8",
    )
    return path


def conversations(round_number: int, customers: List[Dict[str, str]], returner: Dict[str, str]):
    """This round's conversation of each kind: (kind, [(label, text), ...])."""
    values = {
        "question": FAQ_QUESTIONS[round_number % len(FAQ_QUESTIONS)],
        **customers[round_number % len(customers)],
        "return_order": returner["order"],
        "return_email": returner["email"],
    }
    for kind, script in KINDS.items():
        yield kind, [(label, text.format(**values)) for label, text in script]


async def _profile(
    model: Path, rounds: int, warmup: int, work: Path, shop_db: str, ports: Dict[str, int]
) -> Dict[str, Any]:
    import requests
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints

    from bench.serving.plan import shop_customers
    from tests import webhook_kit as kit
    from tests.servers import ACTION_TOKEN

    customers = shop_customers(shop_db)
    returner = kit.returning_customer(shop_db)
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    endpoints = AvailableEndpoints.read_endpoints(
        str(endpoints_file(work, f"{urls['plain']}/webhook"))
    )
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    # What ShopAssist's channels install in every Rasa server (shopassist.channels.guard).
    from shopassist.channels.guard import install_action_failure_reply
    from shopassist.channels.reply_check import install_compiled_reply_check

    install_action_failure_reply()
    install_compiled_reply_check()
    timings = Timings()
    instrument_rasa(agent, timings)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {ACTION_TOKEN}"

    def server_timings() -> Dict[str, Dict]:
        reply = session.get(urls["timed"] + TIMINGS_PATH, timeout=30)
        reply.raise_for_status()
        return reply.json()

    async def converse(script, sender: str, timed_run: bool) -> List[Dict[str, Any]]:
        agent.action_endpoint.url = f"{urls['timed' if timed_run else 'plain']}/webhook"
        timings.enabled = timed_run
        turns = []
        for label, text in script:
            timings.take()
            if timed_run:
                server_timings()
            message = UserMessage(text, CollectingOutputChannel(), sender, input_channel="rest")
            started = time.perf_counter()
            replies = await agent.handle_message(message)
            total_ms = (time.perf_counter() - started) * 1000.0
            turn = {"label": label, "text": text, "total_ms": total_ms}
            if timed_run:
                rasa_side, server_side = timings.take(), server_timings()
                turn["parts"] = split_turn(rasa_side, server_side, total_ms)
                turn["calls"] = {
                    "predictions": rasa_side.get(POLICY_GRAPH, {}).get("calls", 0),
                    "action_calls": rasa_side.get(ROUND_TRIP, {}).get("calls", 0),
                    "server": {k: v["calls"] for k, v in server_side.items()},
                }
            turn["replies"] = [r.get("text") for r in replies or []]
            turns.append(turn)
        return turns

    measured: List[Dict[str, Any]] = []
    samples: Dict[str, List[Dict[str, Any]]] = {}
    load_before = os.getloadavg()[0]
    for number in range(warmup + rounds):
        for kind, script in conversations(number, customers, returner):
            tag = uuid.uuid4().hex[:8]
            bare = await converse(script, f"profile-bare-{kind}-{tag}", False)
            timed_turns = await converse(script, f"profile-timed-{kind}-{tag}", True)
            for plain, turn in zip(bare, timed_turns):
                turn["bare_ms"] = plain["total_ms"]
            if number == warmup:
                samples[kind] = [{"text": t["text"], "replies": t["replies"]} for t in timed_turns]
            if number >= warmup:
                measured += timed_turns
        print(f"bench: turn profile: round {number + 1} of {warmup + rounds}", flush=True)
    load_after = os.getloadavg()[0]
    timings.enabled = False
    return {
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
        "samples": samples,
        "turns": [{k: v for k, v in t.items() if k != "replies"} for t in measured],
    }


def _quiet_logging() -> None:
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def run(model: Path, rounds: int, warmup: int, command: str) -> Dict[str, Any]:
    from bench import machine
    from shopassist import settings
    from shopassist.cluster import free_port, wait_until_up
    from shopassist.store.manage import ensure
    from tests.servers import ACTION_TOKEN, BIN, Servers, base_env

    _quiet_logging()
    with tempfile.TemporaryDirectory(prefix="turn-profile-") as folder:
        work = Path(folder)
        shop_db = f"sqlite:///{work / 'shop.sqlite3'}"
        ensure(shop_db, anchor=ANCHOR)
        env = base_env(
            shop_db, SHOPASSIST_GENERATOR="template", SHOPASSIST_TODAY=ANCHOR.isoformat()
        )
        # This process is the Rasa server: the same settings as the action servers'.
        os.environ.update({k: v for k, v in env.items() if k.startswith("SHOPASSIST_")})
        os.environ["SHOPASSIST_ACTION_TOKEN"] = ACTION_TOKEN
        settings.reload()  # settings are read once per process: read them again
        ports = {"plain": free_port(), "timed": free_port()}
        python = str(BIN / "python")
        servers = Servers(work)
        try:
            started = {
                "plain": servers.start(
                    "actions-plain",
                    [python, "-m", "shopassist.action_server", "--port", str(ports["plain"])],
                    env,
                ),
                "timed": servers.start(
                    "actions-timed",
                    [python, "-m", "bench.turn_profile", "--serve-actions", str(ports["timed"])],
                    env,
                ),
            }
            for name, (process, log) in started.items():
                wait_until_up(f"http://127.0.0.1:{ports[name]}/health", process, log, seconds=180)
            measured = asyncio.run(_profile(model, rounds, warmup, work, shop_db, ports))
        finally:
            servers.stop()
    result = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "machine": machine.describe(),
        "model": _display(model),
        "rounds": rounds,
        "warmup_rounds": warmup,
        **measured,
    }
    result["summary"] = summarise(result["turns"])
    return result


def _display(path: Path) -> str:
    path = path.absolute()
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def current_model() -> Path:
    """The model of the current data and config (scripts/current-model.sh)."""
    import subprocess

    script = REPO / "scripts" / "current-model.sh"
    done = subprocess.run(["bash", str(script)], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("bench: turn profile: no model for the current data: give --model PATH")
    return REPO / done.stdout.strip()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=30, help="conversations of each kind")
    parser.add_argument("--warmup", type=int, default=2, help="rounds not counted")
    parser.add_argument("--model", type=Path, help="default: scripts/current-model.sh")
    parser.add_argument("--write", action="store_true", help="update bench/BENCHMARKS.md")
    parser.add_argument("--serve-actions", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_actions:
        serve_actions(args.serve_actions)
        return 0
    model = args.model or current_model()
    command = "python -m bench.turn_profile" + "".join(
        f" {flag}"
        for flag, on in (
            (f"--turns {args.turns}", args.turns != 30),
            (f"--model {args.model}", args.model is not None),
            ("--write", args.write),
        )
        if on
    )
    result = run(model, args.turns, args.warmup, command)
    OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
    OUT_JSON.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    from bench.report import publish

    for kind, sample in result["samples"].items():
        for turn in sample:
            print(f"bench: turn profile: {kind}: {turn['text']!r} -> {turn['replies']}")
    publish(render(result), MARKERS, args.write)
    print(f"bench: turn profile: figures in {_display(OUT_JSON)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
