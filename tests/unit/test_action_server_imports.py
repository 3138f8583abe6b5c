"""The action server holds no TensorFlow, no PyTorch and no Rasa: it is started as in
production, each kind of action runs through its /webhook, and on the way out it writes down
the modules it had imported.

The knowledge questions (every help-page answer) and the product search embed the customer's
words with the MiniLM encoder, on ONNX Runtime (shopassist.knowledge.embedder); the figures
are in bench/BENCHMARKS.md, "Action server memory"."""

from __future__ import annotations

import json
import sys

import pytest

from shopassist.auth.action_secret import SECRET_ENV
from shopassist.cluster import free_port, wait_until_up
from tests import webhook_kit as kit
from tests.conftest import seeded_sqlite
from tests.servers import Servers
from tests.unit.test_action_server import SECRET, environment

# Runs the server exactly as `python -m shopassist.action_server` does, and when it stops
# (SIGTERM ends Sanic's loop, main() returns) writes the names in sys.modules to argv[1].
WRAPPER = """
import atexit, json, runpy, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
runpy.run_module("shopassist.action_server", run_name="__main__")
"""


@pytest.fixture(scope="module")
def modules_after_each_kind(tmp_path_factory):
    """(the modules the server had imported, the replies) after a knowledge question, an
    order status with its identity check and a return through its form."""
    db_url = seeded_sqlite(tmp_path_factory)
    work = tmp_path_factory.mktemp("imports")
    out, port = work / "modules.json", free_port()
    env = environment(db_url, **{SECRET_ENV: SECRET, "SHOPASSIST_GENERATOR": "template"})
    env.pop("USE_TF", None)  # as in production: the server itself must say so
    servers = Servers(work)
    command = [sys.executable, "-c", WRAPPER, str(out), "--port", str(port)]
    process, log = servers.start("actions", command, env)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, log, seconds=180)
        call = kit.WebhookCalls(f"http://127.0.0.1:{port}", SECRET)
        replies = {
            "knowledge": kit.knowledge_question(call, "imports-faq"),
            "order": kit.order_status(call, "imports-order", kit.customer(db_url, "shipped")),
            "return": kit.return_step(call, "imports-return", kit.returning_customer(db_url)),
        }
    finally:
        servers.stop()
    assert out.exists(), log.read_text()[-3000:]
    return set(json.loads(out.read_text())), replies


def test_each_kind_of_action_answered(modules_after_each_kind):
    """Otherwise the module check below would prove nothing."""
    _, replies = modules_after_each_kind
    assert "return" in replies["knowledge"].lower() and "30 days" in replies["knowledge"]
    assert "Order #" in replies["order"] and "couldn't verify" not in replies["order"]
    assert "Shall I authorise the return?" in replies["return"]


def test_no_tensorflow_no_pytorch_and_no_rasa_in_the_action_server(modules_after_each_kind):
    modules, _ = modules_after_each_kind
    assert "tensorflow" not in modules
    assert not [m for m in modules if m == "rasa" or m.startswith("rasa.")]  # rasa_sdk only
    assert "rasa_sdk" in modules
    # The knowledge answer ran the encoder, on ONNX Runtime.
    assert "onnxruntime" in modules
    assert "torch" not in modules and "transformers" not in modules
