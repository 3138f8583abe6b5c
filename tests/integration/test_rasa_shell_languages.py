"""`rasa shell` (what `make shell` starts) with the current model and the action server: a
German and a Chinese customer each ask where their order is, pass the identity check and
read the status in their own language. The messages are from tests/test_stories_{de,zh}.yml;
the expected replies are the shop's words in shopassist/language/."""

from __future__ import annotations

import socket

import pytest

from shopassist import topology
from shopassist.cluster import free_port, wait_until_up
from tests.servers import BIN, ROOT, Servers, base_env, current_model, endpoints_file
from tests.shell_kit import Shell

pytestmark = pytest.mark.integration

MODEL_LOAD_SECONDS = 300  # loading the model on a busy 2-core machine


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_rasa_shell_answers_order_status_in_german_and_chinese(db_url, tmp_path):
    model = current_model()
    action_port, rasa_port = free_port(), free_port()
    env = base_env(db_url)
    servers = Servers(tmp_path)
    shell = None
    try:
        actions, log = servers.start(
            "actions",
            topology.server_command(topology.ACTIONS, str(BIN / "python"), action_port),
            env,
        )
        wait_until_up(topology.ACTIONS.health_url(port=action_port), actions, log)
        command = [str(BIN / "rasa"), "shell", "--model", str(model), "--port", str(rasa_port),
                   "--endpoints", str(endpoints_file(tmp_path, action_port))]  # fmt: skip
        shell = Shell(command, env, ROOT, tmp_path / "shell.log")
        assert "Bot loaded" in shell.wait_for_prompt(MODEL_LOAD_SECONDS)

        # German: the number in the question, then the e-mail it was placed with.
        asks = shell.say("Könnten Sie mir bitte sagen, wo meine Bestellung 100234 gerade ist?")
        assert "Zum Schutz Ihrer Daten" in asks and "E-Mail-Adresse" in asks, asks
        status = shell.say("Bestellt habe ich mit anna.becker@example.com.")
        assert "Ihre Bestellung #100234 vom" in status and "ist versandt." in status, status

        # A new conversation, in Chinese, for another customer's order.
        shell.say("/restart")
        asks = shell.say("帮我查下订单100310的物流")
        assert "为保护您的隐私" in asks and "邮箱地址" in asks, asks
        status = shell.say("ben.carter@example.com")
        assert "您的订单 #100310" in status and "当前状态：派送中" in status, status

        assert shell.stop() == 0
        shell = None
    finally:
        if shell is not None:
            shell.stop(seconds=10)
        servers.stop()
    assert port_is_free(rasa_port) and port_is_free(action_port)
