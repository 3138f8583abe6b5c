"""Photos of damaged goods with a return: checked by content, cleaned, limited, stored with
the return, only from the conversation that started it. On SQLite and PostgreSQL; each test
works in one transaction that is rolled back, so the shared demo data stays as it was."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy.orm import sessionmaker

from shopassist.store import return_photos
from shopassist.store.changes import start_return
from shopassist.store.db import get_engine
from shopassist.store.models import ReturnPhoto
from shopassist.store.orders import load_order
from shopassist.store.return_photos import Refused
from tests.conftest import ANCHOR

CHAT = "socketio:0123456789abcdef0123456789abcdef"
OTHER_CHAT = "socketio:fedcba9876543210fedcba9876543210"


def picture(fmt: str, size=(64, 48), colour="red", **save) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, fmt, **save)
    return out.getvalue()


def located_jpeg() -> bytes:
    """A JPEG as a phone writes it: camera, GPS position, rotated a quarter turn."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to show it upright
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 1.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (80, 40), "blue").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge image: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * 4096)  # the start of endless zero rows
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


@pytest.fixture()
def session(db_url):
    db = sessionmaker(bind=get_engine(db_url), future=True)()
    try:
        yield db
    finally:
        db.rollback()
        db.close()


def a_return(db, conversation=CHAT, reason="damaged", condition="damaged") -> str:
    """Starts a return of one line of a delivered order in `conversation`; its RMA."""
    order = load_order(db, "100235")  # Anna's, delivered within the return window
    for item in order.items:
        outcome = start_return(
            db, order.id, {item.id: 1}, reason, condition, f"key-{conversation}-{item.id}",
            f"assistant:{conversation}", ANCHOR,
        )  # fmt: skip
        if outcome.ok:
            return outcome.rma_number
    pytest.fail("demo order 100235 has no returnable line")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_jpeg_png_or_webp_is_stored_as_a_clean_jpeg_with_the_return(session, fmt):
    rma = a_return(session)
    stored = return_photos.add(session, CHAT, rma, picture(fmt))
    assert (stored.rma_number, stored.count, stored.remaining) == (rma, 1, 2)
    row = session.get(ReturnPhoto, stored.id)
    assert row.ret.rma_number == rma and row.conversation == CHAT
    assert row.content_type == "image/jpeg" and row.source_type == fmt.lower()
    assert row.size_bytes == len(row.data) and len(row.sha256) == 64
    assert (row.width, row.height) == (64, 48) and row.created_at is not None
    with Image.open(io.BytesIO(return_photos.image(session, stored.id))) as shown:
        assert shown.format == "JPEG" and shown.size == (64, 48)
    (view,) = return_photos.of_return(session, rma)
    assert view.id == stored.id and return_photos.of_conversation(session, CHAT)[-1].id == stored.id


def test_phone_formats_are_taken_as_photos():
    """A multi-picture JPEG (phones' portrait shots), a 16-bit PNG, CMYK and palette images."""
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    mpo = io.BytesIO()
    first.save(mpo, "MPO", save_all=True, append_images=[second])
    assert return_photos.clean(mpo.getvalue()).source_type == "jpeg"
    for mode, fmt in [("I;16", "PNG"), ("CMYK", "JPEG"), ("LA", "PNG"), ("P", "PNG")]:
        out = io.BytesIO()
        Image.new(mode, (40, 30)).save(out, fmt)
        assert return_photos.clean(out.getvalue()).width == 40, mode


def test_location_and_camera_data_are_stripped_and_the_photo_stands_upright(session):
    upload = located_jpeg()
    with Image.open(io.BytesIO(upload)) as original:
        assert original.getexif()  # the upload carries them
    stored = return_photos.add(session, CHAT, a_return(session), upload)
    data = return_photos.image(session, stored.id)
    with Image.open(io.BytesIO(data)) as shown:
        assert not shown.getexif() and "exif" not in shown.info and "icc_profile" not in shown.info
        assert shown.size == (40, 80)  # turned as the orientation said
    assert b"PhoneMaker" not in data


def test_more_than_5_mb_is_refused_before_anything_is_decoded(session):
    rma = a_return(session)
    too_big = picture("PNG") + b"\0" * return_photos.MAX_UPLOAD_BYTES
    with pytest.raises(Refused) as refused:
        return_photos.add(session, CHAT, rma, too_big)
    assert refused.value.code == "too_big"


@pytest.mark.parametrize(
    "upload",
    [
        picture("GIF"),  # an image, but not one of the three
        picture("BMP"),
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"%PDF-1.4 not a photo at all",
        picture("JPEG")[:200],  # a JPEG cut short
        b"",
    ],
    ids=["gif", "bmp", "svg", "pdf", "truncated-jpeg", "empty"],
)
def test_anything_but_a_whole_jpeg_png_or_webp_is_refused_whatever_its_name(session, upload):
    rma = a_return(session)
    with pytest.raises(Refused) as refused:
        return_photos.add(session, CHAT, rma, upload)  # names and headers are never read
    assert refused.value.code == "not_image"
    assert return_photos.of_return(session, rma) == []


def test_a_decompression_bomb_is_refused_from_its_header(session):
    bomb = png_declaring(30_000, 30_000)  # 900 megapixels in under 100 bytes
    assert len(bomb) < 200
    with pytest.raises(Refused) as refused:
        return_photos.add(session, CHAT, a_return(session), bomb)
    assert refused.value.code == "too_many_pixels"
    with pytest.raises(Refused) as refused:
        return_photos.clean(png_declaring(7000, 6000))  # 42 megapixels: just over
    assert refused.value.code == "too_many_pixels"
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(Refused) as refused:
        return_photos.clean(png_declaring(10_000, 10_000))  # Pillow's own warning, then ours
    assert refused.value.code == "too_many_pixels"


def test_large_photos_are_stored_smaller(session):
    stored = return_photos.add(session, CHAT, a_return(session), picture("JPEG", size=(4000, 3000)))
    row = session.get(ReturnPhoto, stored.id)
    assert max(row.width, row.height) == return_photos.MAX_EDGE


def test_another_conversation_cannot_add_photos_to_the_return(session):
    rma = a_return(session)
    for conversation in (OTHER_CHAT, "rest:" + CHAT.split(":")[1], ""):
        with pytest.raises(Refused) as refused:
            return_photos.add(session, conversation, rma, picture("JPEG"))
        assert refused.value.code == "no_return"


def test_only_a_return_of_damaged_goods_in_progress_takes_photos(session):
    for rma in ("RMA-999999-1", "", None, "x" * 100):  # unknown, or not an RMA at all
        with pytest.raises(Refused) as refused:
            return_photos.add(session, CHAT, rma, picture("JPEG"))
        assert refused.value.code == "no_return"
    fits = a_return(session, reason="does_not_fit", condition="opened")
    with pytest.raises(Refused):
        return_photos.add(session, CHAT, fits, picture("JPEG"))
    damaged = a_return(session, conversation=OTHER_CHAT)
    ret = return_photos.open_return(session, OTHER_CHAT, damaged)
    ret.state = "refunded"  # finished: nothing more to add
    with pytest.raises(Refused) as refused:
        return_photos.add(session, OTHER_CHAT, damaged, picture("JPEG"))
    assert refused.value.code == "no_return"


def test_at_most_three_photos_per_return_and_each_once(session):
    rma = a_return(session)
    for n, colour in enumerate(["red", "green", "blue"], start=1):
        stored = return_photos.add(session, CHAT, rma, picture("JPEG", colour=colour))
        assert (stored.count, stored.remaining) == (n, 3 - n)
    with pytest.raises(Refused) as refused:
        return_photos.add(session, CHAT, rma, picture("JPEG", colour="white"))
    assert refused.value.code == "limit"
    assert len(return_photos.of_return(session, rma)) == 3


def test_the_same_photo_twice_is_stored_once(session):
    rma = a_return(session)
    return_photos.add(session, CHAT, rma, picture("PNG"))
    with pytest.raises(Refused) as refused:
        return_photos.add(session, CHAT, rma, picture("PNG"))
    assert refused.value.code == "duplicate"


def test_only_damaged_goods_are_asked_for_photos():
    assert return_photos.wanted("damaged")
    assert not any(return_photos.wanted(c) for c in ("opened", "unopened", None, ""))
