"""The web chat's photo of damaged goods, added to the customer's return.

The chat posts the file itself as the body of POST /webhooks/socketio/damage-photo (its
name and Content-Type are never read: the content decides), with three headers:

- `X-Chat-Session`: the chat's signed session id (shopassist/channels/sessions.py), the
  proof, as for feedback: only the page holding the conversation's session can add to it;
- `X-Return`: the RMA number the offer named (actions/damage_photos.py);
- `X-Chat-Language`: the language of the offer, which the answer's texts are written in.

The body is read as it arrives and refused (413) as soon as it passes the size limit; a
larger declared length is refused before a byte of it is read, and nothing is read for a
session this server did not sign. shopassist.store.return_photos then decides (the return
must be one of damaged goods in progress, started in this very conversation, where the
customer proved the order theirs) and stores the photo. The assistant's thanks is added to
the conversation (a bot message in its tracker, under the conversation's lock, so the
console's transcript shows it) and sent to the chat; the answer's JSON carries the same
text, and every refusal a polite `message` in the customer's language.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Optional

from rasa.shared.core.events import BotUttered
from sanic import response
from sanic.request import Request
from sqlalchemy.exc import SQLAlchemyError

from shopassist.channels import sessions
from shopassist.language.conversation import served
from shopassist.language.messages import message, sentences
from shopassist.store import return_photos
from shopassist.store.db import session_scope
from shopassist.store.return_photos import Refused, StoredPhoto

logger = logging.getLogger(__name__)

PATH = "/damage-photo"
LIMITS = {
    "max_mb": return_photos.MAX_UPLOAD_BYTES // (1024 * 1024),
    "max_photos": return_photos.MAX_PER_RETURN,
}
STATUS = {
    "session": 403,
    "no_return": 403,  # unknown or someone else's: answered alike
    "too_big": 413,
    "too_many_pixels": 413,
    "not_image": 415,
    "limit": 409,
    "duplicate": 409,
    "unavailable": 503,
}


def refusal(code: str, language: str) -> response.HTTPResponse:
    text = message(f"photo.refused.{code}", language, **LIMITS)
    return response.json({"error": code, "message": text}, status=STATUS[code])


async def read_body(request: Request, limit: int) -> Optional[bytes]:
    """The request's body, or None as soon as it is longer than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            return None


def thanks(stored: StoredPhoto, language: str) -> str:
    more = (
        message("photo.added_more", language, remaining=stored.remaining)
        if stored.remaining
        else message("photo.added_last", language)
    )
    return sentences(
        [message("photo.added", language, rma_number=stored.rma_number), more], language
    )


def _store(conversation: str, rma_number: str, upload: bytes) -> StoredPhoto:
    with session_scope() as session:
        return return_photos.add(session, conversation, rma_number, upload)


async def acknowledge(agent: Any, output: Any, conversation: str, text: str, photo: int) -> None:
    """The assistant's thanks, kept in the conversation and shown in its chat."""
    store, locks = getattr(agent, "tracker_store", None), getattr(agent, "lock_store", None)
    if store is not None and locks is not None:
        async with locks.lock(conversation):  # not between a turn's read and its save
            tracker = await store.get_or_create_tracker(conversation, append_action_listen=False)
            tracker.update(BotUttered(text, metadata={"damage_photo": photo}))
            await store.save(tracker)
    await output.send_text_message(conversation, text)


async def receive(request: Request, channel: str, output: Any) -> response.HTTPResponse:
    """POST /webhooks/socketio/damage-photo (a streamed route: the body is read here)."""
    language = served(request.headers.get("x-chat-language")) or "en"
    conversation = sessions.verify(channel, request.headers.get("x-chat-session"))
    if conversation is None:
        return refusal("session", language)
    rma_number = request.headers.get("x-return", "")
    upload = await read_body(request, return_photos.MAX_UPLOAD_BYTES)
    if upload is None:
        return refusal("too_big", language)
    loop = asyncio.get_running_loop()
    try:  # decoding and the database off the event loop
        stored = await loop.run_in_executor(None, _store, conversation, rma_number, upload)
    except Refused as refused:
        return refusal(refused.code, language)
    except SQLAlchemyError:
        logger.exception("a photo of damaged goods was not stored")
        return refusal("unavailable", language)
    text = thanks(stored, language)
    try:
        await acknowledge(
            getattr(request.app.ctx, "agent", None), output, conversation, text, stored.id
        )
    except Exception:  # the photo is stored: the chat shows the thanks from this answer
        logger.exception("the thanks for photo %s did not reach the conversation", stored.id)
    return response.json(
        {"ok": True, "photo": stored.id, "count": stored.count, "remaining": stored.remaining,
         "message": text}
    )  # fmt: skip
