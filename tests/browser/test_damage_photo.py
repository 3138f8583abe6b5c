"""A photo of damaged goods in Chromium: a signed-in customer returns an item that arrived
damaged with the buttons, is offered "Add a photo of the damage", picks a file that is not a
photo (refused politely, nothing stored, its bubble saying it was not sent), then a photo
with a GPS position: the assistant thanks them in the chat, the photo is stored with the
return without its metadata, and an agent sees it on the conversation's page. axe-core
finds nothing serious in the control."""

from __future__ import annotations

import io
import json
import time
from urllib.parse import quote

from PIL import Image
from playwright.sync_api import expect

from shopassist.store import return_photos
from shopassist.store.db import session_scope
from tests.browser.axe_kit import blocking_violations
from tests.browser.conftest import SCREENSHOTS, console_login
from tests.browser.test_web_chat import ANNA, REPLY_TIMEOUT, open_chat, send, sign_in


def phone_photo(path):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 1.0)}
    picture = Image.new("RGB", (640, 480), "#c0392b")
    for x in range(200, 440):  # a "crack" across it
        picture.putpixel((x, x - 100), (20, 20, 20))
    picture.save(path, "JPEG", exif=exif.tobytes())
    return path


def stored_photos(db_url, conversation, count):
    deadline = time.monotonic() + 15
    while True:
        with session_scope(db_url) as session:
            found = return_photos.of_conversation(session, conversation)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def click_reply(page, title) -> None:
    bots = page.get_by_test_id("msg-bot").count()
    button = page.get_by_test_id("quick-reply").filter(has_text=title).last
    expect(button).to_be_enabled(timeout=REPLY_TIMEOUT)
    button.click()
    expect(page.get_by_test_id("msg-bot")).not_to_have_count(bots, timeout=REPLY_TIMEOUT)


def test_a_damaged_item_is_returned_with_a_photo_the_agent_sees(stack, new_page, tmp_path):
    page = new_page("chat")
    open_chat(page, stack["url"])
    sign_in(page, ANNA)
    send(page, "I want to return something from order 100235")
    send(page, "1")
    click_reply(page, "It arrived damaged")
    click_reply(page, "Yes, go ahead")
    add = page.get_by_test_id("photo-add")
    expect(add).to_be_visible(timeout=REPLY_TIMEOUT)
    expect(add).to_have_text("Add a photo of the damage")
    expect(page.get_by_test_id("photo-skip")).to_have_text("No photo")
    offer = page.get_by_test_id("msg-bot").filter(has_text="add a photo of the damage to return")
    rma = next(w for w in offer.last.inner_text().split() if w.startswith("RMA-")).rstrip(":")
    signed = json.loads(page.evaluate("localStorage.getItem('shopassist.session_id')"))
    conversation = "socketio:" + signed.split("-")[0]

    # A web page saved as "photo.jpg": refused by its content, politely, nothing stored.
    fake = tmp_path / "photo.jpg"
    fake.write_text("<html><body>not a photo</body></html>")
    with page.expect_file_chooser() as chooser:
        add.click()
    chooser.value.set_files(str(fake))
    error = page.get_by_test_id("photo-error")
    expect(error).to_contain_text("I can only take photos in JPEG, PNG or WebP format")
    assert stored_photos(stack["db_url"], conversation, 0) == []
    # The customer's bubble no longer claims a photo was sent, in words a screen reader reads.
    refused = page.get_by_test_id("msg-user").last
    expect(refused).to_have_text("Photo not sent: photo.jpg")
    expect(refused).to_have_attribute("data-sent", "false")
    expect(page.get_by_test_id("msg-user").filter(has_text="Photo: photo.jpg")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "damage-photo-refused.png"))
    assert blocking_violations(page, "photo offer with a refusal") == []

    with page.expect_file_chooser() as chooser:
        add.click()
    chooser.value.set_files(str(phone_photo(tmp_path / "broken-mug.jpg")))
    thanks = page.get_by_test_id("msg-bot").filter(
        has_text=f"Thank you, I've added your photo to return {rma}."
    )
    expect(thanks).to_have_count(1, timeout=REPLY_TIMEOUT)
    expect(thanks).to_contain_text("You can add 2 more if you like.")
    expect(page.get_by_test_id("photo-error")).to_have_count(0)
    expect(page.get_by_test_id("msg-user").last).to_have_text("Photo: broken-mug.jpg")
    (photo,) = stored_photos(stack["db_url"], conversation, 1)
    assert photo.rma_number == rma and (photo.width, photo.height) == (640, 480)
    with session_scope(stack["db_url"]) as session:
        data = return_photos.image(session, photo.id)
    with Image.open(io.BytesIO(data)) as kept:
        assert not kept.getexif() and b"PhoneMaker" not in data
    page.get_by_test_id("photo-skip").click()  # done: the control closes
    expect(page.get_by_test_id("photo-add")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "damage-photo-chat.png"))

    console = new_page("console")
    console_login(console, stack["url"])
    console.goto(f"{stack['url']}/console/conversations/{quote(conversation)}")
    section = console.get_by_test_id("damage-photos")
    expect(section).to_contain_text(rma)
    thumbnail = section.get_by_role("img")
    expect(thumbnail).to_have_count(1)
    # The thumbnail loads after the page (lazily): wait for it, then it must be the stored
    # 640-pixel JPEG.
    console.wait_for_function(
        "() => { const i = document.querySelector('.damage-photos img'); "
        "return i && i.complete && i.naturalWidth === 640; }",
        timeout=15_000,
    )
    expect(console.get_by_test_id("turn-bot").filter(has_text="added your photo")).to_have_count(1)
    offered = console.get_by_test_id("turn-bot").filter(has_text=f"[photo upload offered: {rma}]")
    expect(offered).to_have_count(1)
    console.screenshot(path=str(SCREENSHOTS / "damage-photo-console.png"), full_page=True)
