"""Customers' photos of damaged goods, for the support team: thumbnails on a conversation's
and a handoff ticket's page, and each photo behind the console's login.

A photo is served as the JPEG the store re-encoded (shopassist.store.return_photos), with a
fixed Content-Type, `nosniff`, and `Cache-Control: private, no-store`, so no shared cache
(a proxy, a CDN) keeps a customer's photo and the browser keeps no copy on disk. Registered
by shopassist.console.app with its templates, login check and database sessions.
"""

from __future__ import annotations

from typing import Callable, List

from jinja2 import Environment
from sanic import Sanic, response
from sanic.request import Request

from shopassist.store import return_photos
from shopassist.store.return_photos import PhotoView

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Disposition": "inline",
}


def register(app: Sanic, templates: Environment, login_required: Callable, db: Callable) -> None:
    def damage_photos(conversation: str) -> List[PhotoView]:
        """For the pages' templates (_damage_photos.html): a conversation's photos."""
        with db() as session:
            return return_photos.of_conversation(session, conversation)

    templates.globals["damage_photos"] = damage_photos

    @app.get("/console/photos/<photo_id:int>")
    @login_required
    async def damage_photo(request: Request, photo_id: int):
        with db() as session:
            data = return_photos.image(session, photo_id)
        if data is None:
            return response.text("no such photo", status=404, headers=HEADERS)
        return response.raw(data, content_type=return_photos.STORED_TYPE, headers=HEADERS)
