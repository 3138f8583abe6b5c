"""The console's database work runs off its event loop: a slow query holds up nobody else."""

from __future__ import annotations

import threading

import aiohttp

from shopassist.console import listing
from shopassist.console.app import COOKIE
from tests.unit.test_console_desk import close, console, desk, run  # noqa: F401 (fixture)


def test_a_slow_conversation_list_does_not_hold_up_another_agent(desk, monkeypatch):  # noqa: F811
    """The list's query waits until another request was answered: on the event loop it
    would wait forever (the other request could never be served), off it both finish."""
    other_answered = threading.Event()
    waited = {}
    real = listing.page_of

    def slow_page(*args, **kwargs):
        waited["answered"] = other_answered.wait(timeout=20)
        return real(*args, **kwargs)

    monkeypatch.setattr(listing, "page_of", slow_page)

    async def scenario():
        import asyncio

        url, http, servers = await console(desk, [])
        try:

            async def the_list():
                async with http.get(f"{url}/console/conversations") as page:
                    return page.status

            async def another_page():
                async with aiohttp.ClientSession(cookies={COOKIE: desk["cookie"]}) as other:
                    async with other.get(f"{url}/console/profile") as page:
                        status = page.status
                other_answered.set()
                return status

            slow = asyncio.create_task(the_list())
            await asyncio.sleep(0.2)  # the list's request is in its slow query
            assert await another_page() == 200
            assert await slow == 200
        finally:
            await close(http, servers)

    run(scenario())
    assert waited == {"answered": True}
