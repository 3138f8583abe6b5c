"""The offer to add photos of the damage, after a return of damaged goods is authorized.

In the web chat, a text saying what helps and what is taken, then the upload control (a
custom message `photo_upload`, with its words in the conversation's language, drawn by
web/src/photo-upload.js); the upload route (shopassist/channels/damage_photos.py) stores the
photo and sends the assistant's thanks into the conversation, so no intent or story is
involved. Elsewhere (REST, `rasa shell`), where nothing can be uploaded, the support
address from the help pages instead. Optional: the conversation carries on either way.
"""

from __future__ import annotations

from typing import Any, Dict

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from shopassist.language.messages import message, message_template
from shopassist.store import return_photos
from shopassist.store.change_requests import ChangeRequest
from shopassist.store.changes import Outcome

ACCEPT = "image/jpeg,image/png,image/webp"
LIMITS = {
    "max_mb": return_photos.MAX_UPLOAD_BYTES // (1024 * 1024),
    "max_photos": return_photos.MAX_PER_RETURN,
}
WIDGET_TEXTS = {  # what the control shows, in the conversation's language
    "button": "photo.button",
    "skip": "photo.skip",
    "uploading": "photo.uploading",
    "too_big": "photo.refused.too_big",
    "network": "photo.refused.network",
}


def upload_control(rma_number: str, language: str) -> Dict[str, Any]:
    """The custom message that shows the upload control in the web chat."""
    return {
        "photo_upload": {
            "rma_number": rma_number,
            "language": language,
            "max_bytes": return_photos.MAX_UPLOAD_BYTES,
            "max_photos": return_photos.MAX_PER_RETURN,
            "accept": ACCEPT,
            "texts": {
                **{name: message(key, language, **LIMITS) for name, key in WIDGET_TEXTS.items()},
                "sent": message_template("photo.sent", language),  # the chat fills in {name}
                "not_sent": message_template("photo.not_sent", language),  # a refused file
            },
        }
    }


def offer_photos(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    request: ChangeRequest,
    outcome: Outcome,
    language: str,
) -> None:
    """After a return is authorized: the offer, if its goods are damaged."""
    if request.kind != "start_return" or not outcome.ok or not outcome.rma_number:
        return
    if not return_photos.wanted(request.params.get("condition")):
        return
    rma = outcome.rma_number
    if tracker.get_latest_input_channel() != "socketio":
        dispatcher.utter_message(text=message("photo.offer_email", language, rma_number=rma))
        return
    dispatcher.utter_message(text=message("photo.offer", language, rma_number=rma, **LIMITS))
    # Rasa's socket.io channel emits a custom message's keys as emit() arguments: "data"
    # is what the web chat receives.
    dispatcher.utter_message(json_message={"data": upload_control(rma, language)})
