"""A stand-in for Rasa's socket.io channel, serving the shop page too: the browser tests
of the chat widget that need no trained model say through it exactly what Rasa would."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from shopassist.cluster import free_port

STATIC = Path(__file__).resolve().parents[2] / "shopassist" / "console" / "static"


class StandInRasa:
    """The shop page, its chat config and a socket.io server speaking Rasa's channel
    protocol, in a thread of its own; the test says what the server sends."""

    def __init__(self) -> None:
        import socketio
        from aiohttp import web

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.received: list = []
        self.metadata: list = []  # what the widget sent with each message
        self.sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        self.app = web.Application()
        self.sio.attach(self.app)

        async def page(request):
            return web.FileResponse(STATIC / "shop" / "index.html")

        async def proactive_page(request):
            # The shop page of a shop that wants the chat open on load.
            html = (STATIC / "shop" / "index.html").read_text()
            html = html.replace(
                "data-shopassist-chat", 'data-shopassist-chat data-open-on-load="true"'
            )
            return web.Response(text=html, content_type="text/html")

        async def config(request):
            body = {"socket_url": self.url, "socket_path": "/socket.io/", "demo_login": False}
            return web.json_response(body)

        self.app.router.add_get("/", page)
        self.app.router.add_get("/proactive", proactive_page)
        self.app.router.add_get("/api/chat-config", config)
        self.app.router.add_static("/static", STATIC)

        @self.sio.on("session_request")
        async def session_request(sid, data):
            session = (data or {}).get("session_id") or "stand-in-session"
            await self.sio.enter_room(sid, session)
            self.session = session
            await self.sio.emit("session_confirm", session, room=sid)

        @self.sio.on("user_uttered")
        async def user_uttered(sid, data):
            self.received.append(data.get("message"))
            self.metadata.append(data.get("metadata"))

    def start(self) -> None:
        from aiohttp import web

        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def serve():
            asyncio.set_event_loop(self.loop)
            self.runner = web.AppRunner(self.app)
            self.loop.run_until_complete(self.runner.setup())
            site = web.TCPSite(self.runner, "127.0.0.1", self.port)
            self.loop.run_until_complete(site.start())
            ready.set()
            self.loop.run_forever()
            pending = asyncio.all_tasks(self.loop)
            for task in pending:
                task.cancel()
            self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self.loop.close()

        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()
        assert ready.wait(10), "the stand-in did not start"

    def stop(self) -> None:
        async def close():
            await self.sio.shutdown()
            await self.runner.cleanup()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def says(self, event: str, data: dict) -> None:
        """Sends `event` to the chat's conversation, as Rasa would."""
        future = asyncio.run_coroutine_threadsafe(
            self.sio.emit(event, data, room=self.session), self.loop
        )
        future.result(10)
