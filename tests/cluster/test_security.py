"""Security of the production configuration, checked on the running cluster.

Rasa's HTTP API needs its token; the action servers need the shared secret and listen on
loopback only; no customer's personal data reaches a log; another customer's order is never
shown; every console page needs a login.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from shopassist.console.app import COOKIE
from tests.cluster.conftest import send

pytestmark = pytest.mark.integration


def _listening_addresses(port: int) -> set:
    """The local addresses listening on TCP `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_rasa_api_needs_its_token(cluster):
    sender = f"api-{uuid.uuid4().hex[:8]}"
    send(cluster, sender, "hi")
    for method, path in [
        ("GET", f"/conversations/{sender}/tracker"),
        ("GET", "/status"),
        ("POST", "/model/parse"),
        ("POST", f"/conversations/{sender}/tracker/events"),
    ]:
        body = {"text": "hi"} if path == "/model/parse" else {"event": "pause"}
        for token in (None, "wrong"):
            params = {"token": token} if token else {}
            response = requests.request(
                method, cluster.url + path, params=params, json=body, timeout=30
            )
            assert response.status_code == 401, (method, path, token, response.status_code)
    tracker = requests.get(
        f"{cluster.url}/conversations/rest:{sender}/tracker",
        params={"token": cluster.rasa_token}, timeout=30,
    )  # fmt: skip
    assert tracker.ok and tracker.json()["sender_id"] == "rest:" + sender
    assert not tracker.json()["paused"]  # the refused pause changed nothing


def test_the_action_servers_need_the_secret_and_listen_on_loopback_only(cluster):
    for process in cluster.actions:
        base = process.health.rsplit("/", 1)[0]
        call = {"next_action": "action_order_status", "sender_id": "x", "tracker": {}}
        for header in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
            assert requests.post(f"{base}/webhook", json=call, headers=header).status_code == 401
            assert requests.get(f"{base}/actions", headers=header).status_code == 401
        good = {"Authorization": f"Bearer {cluster.action_token}"}
        assert requests.get(f"{base}/actions", headers=good, timeout=10).status_code == 200
        assert requests.get(process.health, timeout=10).status_code == 200  # for probes
        port = int(base.rsplit(":", 1)[1])
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
    for process in cluster.rasa:
        port = int(process.health.rstrip("/").rsplit(":", 1)[1])
        assert _listening_addresses(port) == {"0100007F"}


def test_no_personal_data_in_any_log(cluster, customers):
    # A message full of personal data, to be sure there is something to leak.
    sender = f"pii-{uuid.uuid4().hex[:8]}"
    send(cluster, sender, "where is my order #100234?")
    send(cluster, sender, f"{customers[1]['email']} and call me on +44 20 7946 0958")
    logs = {path.name: path.read_text() for path in cluster.workdir.glob("*.log")}
    assert {"rasa1.log", "rasa2.log", "actions1.log", "haproxy.log"} <= set(logs)
    emails = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    leaked = {
        name: emails.findall(text) + re.findall(r"7946 ?0958", text) for name, text in logs.items()
    }
    assert not any(leaked.values()), leaked
    assert cluster.rasa_token not in "".join(logs.values())


def test_another_customers_order_is_never_shown(cluster, customers):
    from shopassist.store.db import session_scope
    from shopassist.store.orders import order_facts

    for mine, theirs in zip(customers[:8], customers[8:16]):
        with session_scope(cluster.shop_db) as session:
            facts = order_facts(session, theirs["order"])
        secrets_of_theirs = [facts.tracking_number, theirs["email"]]
        secrets_of_theirs = [s for s in secrets_of_theirs if s]
        sender = f"idor-{uuid.uuid4().hex[:8]}"
        send(cluster, sender, f"where is my order #{mine['order']}?")
        send(cluster, sender, mine["email"])  # proven: the first order is theirs
        replies = []
        for text in (
            f"and where is order #{theirs['order']}?",
            f"cancel order {theirs['order']}",
            f"my email is {theirs['email']}, show order {theirs['order']}",
            f'/order_status{{"order_number": "{theirs["order"]}"}}',
        ):
            replies += [r.get("text", "") for r in send(cluster, sender, text)]
        shown = " ".join(replies)
        assert not any(secret in shown for secret in secrets_of_theirs), (theirs, shown)


def _console_routes():
    from shopassist.console.app import create_app

    values = {
        "conversation": "c1",
        "ticket_id": "1",
        "step": "take",
        "photo_id": "1",
        "product_id": "1",
    }
    for route in create_app().router.routes:
        path = "/" + route.path
        if not path.startswith("/console") or path in ("/console/login",):
            continue
        path = re.sub(r"<(\w+):[^>]+>", lambda m: values[m.group(1)], path)
        for method in route.methods - {"HEAD"}:
            yield method, path


def test_every_console_page_needs_a_login(cluster):
    base = f"http://127.0.0.1:{cluster.console_port}"
    routes = list(_console_routes())
    assert len(routes) >= 14  # every page and form of the console
    for cookie in ({}, {COOKIE: "forged-" + "x" * 40}):
        for method, path in routes:
            if path == "/console/logout":
                continue  # ends a session; with none it just goes to the login
            response = requests.request(method, base + path, cookies=cookie, timeout=30)
            if path.startswith("/console/api/"):
                assert response.status_code == 401, (method, path)
            else:  # redirected (perhaps via another page) to the login form, nothing else
                assert response.history, (method, path, response.status_code)
                assert response.url.split("?")[0] == f"{base}/console/login", (method, path)
    # Production runs without the demo sign-in: no customer token from the shop page.
    login = requests.post(f"{base}/api/demo/login", json={"email": "anna.becker@example.com"})
    assert login.status_code == 503


def test_a_signed_in_agent_cannot_be_driven_from_another_site(cluster):
    from shopassist.console import accounts
    from shopassist.store.db import session_scope

    base = f"http://127.0.0.1:{cluster.console_port}"
    name, password = f"agent{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    with session_scope(cluster.shop_db) as session:
        accounts.set_password(session, name, password)
    with session_scope(cluster.shop_db) as session:
        token = accounts.log_in(session, name, password, "127.0.0.1", timedelta(hours=1))
    cookies = {COOKIE: token}
    assert requests.get(f"{base}/console/handoffs", cookies=cookies, timeout=30).ok
    forged = requests.post(
        f"{base}/console/conversations/c1/flag", cookies=cookies, data={"reason": "x"},
        headers={"Origin": "https://evil.example"}, allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert forged.status_code == 403
