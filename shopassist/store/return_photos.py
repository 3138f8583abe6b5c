"""Photos of damaged goods that customers add to their return in the web chat.

One place for every rule about them: which returns take photos (damaged goods, while the
return is in progress, only from the conversation that started it: the one where the
customer proved the order is theirs), how many, how large, which kinds, and what is kept.

An upload is checked by its content, never by its name or declared type: it must decode as
a JPEG, PNG or WebP image with Pillow (only those three decoders are tried), of at most
MAX_PIXELS pixels, read from the header before anything is decoded (a small file can
declare a huge image: a decompression bomb). What is stored is a new JPEG drawn from the
pixels alone, upright, at most MAX_EDGE pixels wide or high: no EXIF (camera, GPS
location, time), no ICC profile, no comments, nothing else of the uploaded file. The route
(shopassist/channels/damage_photos.py) and the console (shopassist/console/photos.py) are
adapters over this module.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from PIL import Image, ImageOps
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.store import audit
from shopassist.store.models import AuditLog, Return, ReturnPhoto

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; a phone's is 12 to 50 (the latter refused)
MAX_EDGE = 2560  # enough to see a scratch, and a phone's 12 megapixels stored at half
MAX_PER_RETURN = 3
DECODERS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}  # Pillow's format -> our name
# What the JPEG decoder may call a JPEG: a phone's multi-picture JPEG (the first is taken).
READ_AS = {**DECODERS, "MPO": "jpeg"}
STORED_TYPE = "image/jpeg"  # every stored photo, whatever was uploaded
JPEG_QUALITY = 85
OPEN_STATES = ("authorized", "received")  # the return is still in progress
# How changes name the conversation that made them (actions/confirm.py, the audit log).
ACTOR = "assistant:{}"


class Refused(Exception):
    """Why a photo is not stored: `code` is one of REFUSALS."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


REFUSALS = ("too_big", "not_image", "too_many_pixels", "no_return", "limit", "duplicate")


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes  # the re-encoded JPEG
    source_type: str  # jpeg | png | webp
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class StoredPhoto:
    id: int
    rma_number: str
    count: int  # photos of the return, this one included
    remaining: int  # how many more it takes


@dataclass(frozen=True)
class PhotoView:
    id: int
    rma_number: str
    created_at: datetime
    width: int
    height: int
    size_bytes: int


def wanted(condition: Optional[str]) -> bool:
    """Whether a return in this condition takes photos: damaged goods (which includes
    faulty ones: the return form records both as damaged)."""
    return condition == "damaged"


def _flat(picture: Image.Image) -> Image.Image:
    """RGB pixels; a transparent background becomes white, as it is shown on a page."""
    if picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return picture.convert("RGB")


def clean(upload: bytes) -> CleanPhoto:
    """The upload as a stored photo, or Refused (too_big, not_image, too_many_pixels)."""
    if len(upload) > MAX_UPLOAD_BYTES:
        raise Refused("too_big")
    try:
        # Pillow's own bomb check (a warning above 89 megapixels, an error above twice
        # that) is left as it is: MAX_PIXELS refuses far less, and warning filters are
        # global to the process, not to this thread.
        with Image.open(io.BytesIO(upload), formats=list(DECODERS)) as image:
            source = READ_AS.get(image.format)
            if source is None:
                raise Refused("not_image")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise Refused("too_many_pixels")  # refused before a pixel is decoded
            image.draft("RGB", (MAX_EDGE, MAX_EDGE))  # a JPEG decodes at a smaller scale
            image.load()
            try:
                picture = ImageOps.exif_transpose(image)  # upright, as it was taken
            except Exception:  # malformed orientation data: the pixels as they are
                picture = image
            picture = _flat(picture)
    except Refused:
        raise
    except Image.DecompressionBombError:
        raise Refused("too_many_pixels") from None
    except Exception:  # not one of the three, or broken in any way a decoder can fail
        raise Refused("not_image") from None
    picture.thumbnail((MAX_EDGE, MAX_EDGE))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)  # no exif, icc, comment
    return CleanPhoto(out.getvalue(), source, picture.width, picture.height)


def _started_in(session: Session, ret: Return, conversation: str) -> bool:
    """Whether `conversation` started this return: it proved the order is its customer's
    there, and the return was created in the same transaction as this audit row."""
    row = session.execute(
        select(AuditLog.id).where(
            AuditLog.action == "return.create",
            AuditLog.entity == "return",
            AuditLog.entity_id == ret.rma_number,
            AuditLog.actor == ACTOR.format(conversation),
        )
    ).first()
    return row is not None


def open_return(session: Session, conversation: str, rma_number: object) -> Return:
    """The return `conversation` may add photos to, its row locked until the transaction
    ends (PostgreSQL), or Refused("no_return"): unknown, another conversation's, finished,
    or not of damaged goods, all alike."""
    if not isinstance(rma_number, str) or not rma_number or len(rma_number) > 20:
        raise Refused("no_return")
    ret = session.execute(
        select(Return).where(Return.rma_number == rma_number).with_for_update()
    ).scalar_one_or_none()
    if (
        ret is None
        or ret.state not in OPEN_STATES
        or not wanted(ret.condition)
        or not _started_in(session, ret, conversation)
    ):
        raise Refused("no_return")
    return ret


def _count(session: Session, ret: Return) -> int:
    query = select(func.count()).select_from(ReturnPhoto).where(ReturnPhoto.return_id == ret.id)
    return int(session.execute(query).scalar_one())


def add(session: Session, conversation: str, rma_number: object, upload: bytes) -> StoredPhoto:
    """Stores a photo of the damage with the return `rma_number`, in the caller's
    transaction, for the conversation that started that return. Refused otherwise."""
    if len(upload) > MAX_UPLOAD_BYTES:
        raise Refused("too_big")
    ret = open_return(session, conversation, rma_number)  # before any decoding work
    count = _count(session, ret)
    if count >= MAX_PER_RETURN:
        raise Refused("limit")
    photo = clean(upload)
    digest = photo.sha256
    same = select(ReturnPhoto.id).where(
        ReturnPhoto.return_id == ret.id, ReturnPhoto.sha256 == digest
    )
    if session.execute(same).first() is not None:
        raise Refused("duplicate")
    row = ReturnPhoto(
        ret=ret,
        conversation=conversation,
        content_type=STORED_TYPE,
        source_type=photo.source_type,
        size_bytes=len(photo.data),
        width=photo.width,
        height=photo.height,
        sha256=digest,
        data=photo.data,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        f"customer:{conversation}",
        "return.photo",
        "return",
        ret.rma_number,
        {"photo": row.id, "bytes": len(photo.data), "uploaded_as": photo.source_type},
    )
    count += 1
    return StoredPhoto(row.id, ret.rma_number, count, MAX_PER_RETURN - count)


def _views(session: Session, *where) -> List[PhotoView]:
    query = (
        select(
            ReturnPhoto.id,
            Return.rma_number,
            ReturnPhoto.created_at,
            ReturnPhoto.width,
            ReturnPhoto.height,
            ReturnPhoto.size_bytes,
        )
        .join(Return, Return.id == ReturnPhoto.return_id)
        .where(*where)
        .order_by(ReturnPhoto.id)
    )  # never the images themselves: a page lists them, the browser fetches each
    return [PhotoView(*row) for row in session.execute(query)]


def of_conversation(session: Session, conversation: str) -> List[PhotoView]:
    """The photos added in a conversation, oldest first (for the console)."""
    return _views(session, ReturnPhoto.conversation == conversation)


def of_return(session: Session, rma_number: str) -> List[PhotoView]:
    """The photos of one return, oldest first (for the console)."""
    return _views(session, Return.rma_number == rma_number)


def image(session: Session, photo_id: int) -> Optional[bytes]:
    """A stored photo's JPEG, or None."""
    query = select(ReturnPhoto.data).where(ReturnPhoto.id == photo_id)
    return session.execute(query).scalar_one_or_none()
