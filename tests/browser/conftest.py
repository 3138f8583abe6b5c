"""The web chat page and the console in a real browser, against real servers.

Starts the action server, Rasa (REST + socket.io, SQLite tracker store, HTTP API behind a
token) and the console, as `make run` does but on free ports and the tests' own database
and files; Playwright drives Debian's Chromium (`make browser` installs it). Every test
leaves a screenshot in results/browser/ for review.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.browser.stand_in_rasa import StandInRasa
from tests.servers import ROOT, Servers, assistant_servers, base_env, free_port, wait_until_up

CHROMIUM = os.environ.get("SHOPASSIST_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "results" / "browser"
RASA_TOKEN = "browser-tests-only-" + "1" * 24
AGENT, AGENT_PASSWORD = "agent.alex", "browser-tests-password"

pytestmark = pytest.mark.browser


# Package scope: the servers and Playwright's event loop (its sync API runs one in this
# thread) end with the last browser test, before any other test calls asyncio.run().
@pytest.fixture(scope="package")
def stack(tmp_path_factory):
    """URLs, paths and processes of a running assistant + console."""
    from shopassist.console import accounts
    from shopassist.store.db import session_scope
    from tests.conftest import seeded_sqlite

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'make browser' (Debian's chromium package)")
    db_url = seeded_sqlite(tmp_path_factory)
    with session_scope(db_url) as session:
        accounts.set_password(session, AGENT, AGENT_PASSWORD)
    workdir = tmp_path_factory.mktemp("browser")
    tracker_db = workdir / "trackers.db"
    reviewed_nlu = workdir / "reviewed.yml"
    reviewed_stories = workdir / "test_stories_reviewed.yml"
    console_port = free_port()
    # The chat page is served by the web app: socket.io accepts pages from there only.
    origins = f"http://127.0.0.1:{console_port} http://localhost:{console_port}"
    env = base_env(db_url, SHOPASSIST_DEMO_LOGIN="1", SHOPASSIST_ALLOWED_ORIGINS=origins)
    with assistant_servers(workdir, env, tracker_db, auth_token=RASA_TOKEN) as servers:
        console_env = {
            **env,
            "SHOPASSIST_TRACKER_DB_URL": f"sqlite:///{tracker_db}",
            "SHOPASSIST_RASA_URL": servers["rasa_url"],
            "SHOPASSIST_RASA_TOKEN": RASA_TOKEN,
            "SHOPASSIST_SOCKET_URL": servers["rasa_url"],
            "SHOPASSIST_REVIEWED_NLU": str(reviewed_nlu),
            "SHOPASSIST_REVIEWED_STORIES": str(reviewed_stories),
        }
        console_servers = Servers(workdir)
        console, log = console_servers.start(
            "console",
            [sys.executable, "-m", "shopassist.console", "--port", str(console_port)],
            console_env,
        )
        url = f"http://127.0.0.1:{console_port}"
        try:
            wait_until_up(f"{url}/api/chat-config", console, log, seconds=60)
            yield {
                **servers,
                "url": url,
                "db_url": db_url,
                "reviewed_nlu": reviewed_nlu,
                "reviewed_stories": reviewed_stories,
                "workdir": workdir,
                "env": env,
            }
        finally:
            console_servers.stop()


@pytest.fixture()
def rasa():
    """The shop page and a stand-in for Rasa's socket.io channel (no trained model needed)."""
    server = StandInRasa()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session", autouse=True)
def fresh_screenshots():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture()
def new_page(browser, request):
    """new_page(name) -> a page in a browser context of its own (its own cookies and storage,
    like another person's browser); each is screenshotted when the test ends. A phone:
    new_page(name, width=390, height=844)."""
    contexts = []

    def _new(name: str, width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(30_000)
        contexts.append((name, context, page))
        return page

    yield _new
    test = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")
    for name, context, page in contexts:
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{test}-{name}.png"), full_page=True)
        finally:
            context.close()


def console_login(page, url: str, username: str = AGENT, password: str = AGENT_PASSWORD):
    page.goto(f"{url}/console/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
