"""Customers' photos of damaged goods, for the support team: thumbnails on a conversation's
and a handoff ticket's page, and each photo behind the console's login.

A photo is served as the JPEG the store re-encoded (shopassist.store.return_photos), with a
fixed Content-Type, `nosniff`, and `Cache-Control: private, no-store`, so no shared cache
(a proxy, a CDN) keeps a customer's photo and the browser keeps no copy on disk. Registered
by shopassist.console.app with its login check and its off-the-loop database access; the
pages' handlers read a conversation's photos (`return_photos.of_conversation`) for
_damage_photos.html.
"""

from __future__ import annotations

from typing import Callable

from sanic import Sanic, response
from sanic.request import Request

from shopassist.store import return_photos

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Disposition": "inline",
}


def register(app: Sanic, login_required: Callable, in_db: Callable) -> None:
    @app.get("/console/photos/<photo_id:int>")
    @login_required
    async def damage_photo(request: Request, photo_id: int):
        data = await in_db(return_photos.image, photo_id)
        if data is None:
            return response.text("no such photo", status=404, headers=HEADERS)
        return response.raw(data, content_type=return_photos.STORED_TYPE, headers=HEADERS)
