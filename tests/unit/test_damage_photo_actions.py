"""After a return of damaged goods is authorized, the web chat offers a photo upload (and the
conversation that started the return may add photos to it); REST and `rasa shell` are given
the support address instead; other returns are offered nothing."""

import uuid

from actions.confirm import ActionApplyChange
from actions.returns import ActionOfferReturn
from shopassist.store import return_photos
from shopassist.store.db import session_scope
from tests.actions_kit import make_tracker, run, verified
from tests.unit.test_return_actions import recently_delivered
from tests.unit.test_return_photos import picture

SKIP = 36  # which orders of a status these tests take (other files take others)


def returned(db_url, skip, reason, condition, channel):
    """The messages of the "yes" that authorized a return, and its conversation."""
    order_id, lines = recently_delivered(db_url, skip)
    line = next(x for x in lines if x.returnable and x.returnable_quantity)
    slots = verified(
        order_id, db_url, order_request="start_return", return_reason=reason,
        return_condition=condition, return_items={str(line.item_id): 1},
    )  # fmt: skip
    slots.update(run(ActionOfferReturn(), make_tracker(slots)).slots)
    sender = f"{channel}:{uuid.uuid4().hex}"
    before = [{"event": "action", "name": "action_offer_return"}]
    before.append({"event": "action", "name": "action_listen"})
    yes = make_tracker(
        slots, intent="affirm", text="yes", events=before, sender=sender, channel=channel
    )
    return run(ActionApplyChange(), yes), sender


def test_the_web_chat_offers_an_upload_for_damaged_goods(use_db, db_url):
    done, conversation = returned(db_url, SKIP, "damaged", "damaged", "socketio")
    rma = next(w.rstrip(".") for w in done.text.split() if w.startswith("RMA-"))
    assert f"add a photo of the damage to return {rma}" in done.text
    assert "up to 5 MB each, at most 3 photos" in done.text
    (control,) = [m["custom"]["data"]["photo_upload"] for m in done.messages if m.get("custom")]
    assert control["rma_number"] == rma and control["max_bytes"] == 5 * 1024 * 1024
    assert control["texts"]["button"] == "Add a photo of the damage"
    assert control["texts"]["sent"] == "Photo: {name}"  # the chat names the file
    assert control["texts"]["not_sent"] == "Photo not sent: {name}"  # ... or the refused one
    assert control["accept"] == "image/jpeg,image/png,image/webp" and control["language"] == "en"
    # The conversation that started it may add photos; the service agrees with the offer.
    with session_scope(db_url) as session:
        stored = return_photos.add(session, conversation, rma, picture("JPEG"))
        assert stored.rma_number == rma


def test_rest_and_shell_are_given_the_support_address(use_db, db_url):
    done, _ = returned(db_url, SKIP + 3, "defective", "damaged", "rest")
    assert "send a photo of the damage to help@shop.example.com" in done.text
    assert not any(m.get("custom") for m in done.messages)


def test_other_returns_offer_no_photo(use_db, db_url):
    done, _ = returned(db_url, SKIP + 6, "does_not_fit", "opened", "socketio")
    assert "RMA-" in done.text and "photo" not in done.text
    assert not any(m.get("custom") for m in done.messages)
