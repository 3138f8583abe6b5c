"""What wrote a bot message, recorded in its event's metadata.

Every message the assistant sends carries three keys, which Rasa keeps in the stored
`BotUttered` event's `metadata` (extra keys of a message end up there, as `answered_by`):

generated_by  "template" for the shop's own words (fixed texts, domain responses, templates
              filled from the database, help-page passages, curated answers), the model's
              name (its GGUF file or the endpoint's model) when a model wrote the text
              sent, "person" for an agent's reply in a takeover
role          what the message is for, one of ROLES; for a model's text, the job its prompt
              gave it ("answer", "rephrase", or "tone" for a model's opening sentence before
              the shop's words)
check         the checker's verdict on generated text: "passed" (the model's text was
              sent), "failed" (it was refused and the template sent; `rejected` names the
              model), "none" (there was no generated text to check)
"""

from __future__ import annotations

from typing import Dict

TEMPLATE = "template"
PERSON = "person"
PASSED, FAILED, NONE = "passed", "failed", "none"

ROLES = {
    "greeting": "the social side: greetings, goodbyes, thanks, small talk, the rating",
    "answer": "an answer about the shop (help pages, curated answers, the catalog) or to a "
    "request it cannot act on; a model's job when it answers from the help pages",
    "order": "the customer's orders from the database: status, returns, invoices, payments, "
    "offers to change an order and what was done",
    "form": "asking for what a request needs, asking again, corrections",
    "fallback": "not understood: 'did you mean', 'please rephrase'",
    "handoff": "passing the conversation to a person, and the person's replies",
    "error": "part of the service is unavailable",
    "rephrase": "a model's rewording of an order reply built from the database, or its "
    "one-sentence direct answer before a help page's own sentences",
    "tone": "a model's opening sentence for an upset customer (no fact, no promise) before the "
    "shop's own words",
    "summary": "a model's summary of a handoff ticket for the colleague (recorded on the "
    "ticket and as the handoff message's `ticket_summary`, not a message of its own)",
}
TONE = "tone"

# Roles of the domain's responses, wherever they are sent from (Rasa itself, or an action
# with response=...). A retrieval response (utter_faq/returns) has the role of its intent.
RESPONSE_ROLES = {
    "greeting": (
        "utter_greet utter_welcome_goodbye utter_goodbye utter_you_are_welcome utter_iamabot "
        "utter_chitchat utter_anything_else utter_ask_what_else utter_stopped utter_ask_rating "
        "utter_leave_review utter_thanks_for_rating utter_thanks_for_feedback"
    ),
    "answer": (
        "utter_faq utter_out_of_scope utter_language_not_served utter_newsletter_subscribe "
        "utter_newsletter_unsubscribe utter_delete_account"
    ),
    "order": "utter_change_kept utter_no_order_opened",
    "form": (
        "utter_ask_order_id utter_ask_email utter_ask_return_condition utter_ask_new_address "
        "utter_ask_order_id_pick utter_correction utter_correction_order utter_correction_again "
        "utter_correction_which_order"
    ),
    "fallback": "utter_default utter_still_not_understood utter_did_you_mean utter_ask_rephrase",
    "handoff": (
        "utter_complaint utter_human_handoff utter_handoff_live_known "
        "utter_handoff_live_anonymous utter_handoff_opened_known "
        "utter_handoff_opened_anonymous utter_handoff_because_misunderstood "
        "utter_handoff_because_upset"
    ),
}
_ROLE_OF_RESPONSE = {name: role for role, names in RESPONSE_ROLES.items() for name in names.split()}
UNLISTED_RESPONSE_ROLE = "answer"  # tests/unit/test_provenance.py keeps every response listed


def response_role(response: str) -> str:
    return _ROLE_OF_RESPONSE.get(response.split("/")[0], UNLISTED_RESPONSE_ROLE)


def template(role: str) -> Dict[str, str]:
    """The keys of a message in the shop's own words."""
    return {"generated_by": TEMPLATE, "role": role, "check": NONE}


def of_reply(reply, role: str) -> Dict[str, str]:
    """The keys of a reply a model may have written (`Reply`, `KnowledgeReply`, a role's
    `Line`): `role` is
    what the message is for; a model's text has the role of its job (`reply.model_role`)."""
    if reply.check == PASSED:
        return {"generated_by": reply.model, "role": reply.model_role, "check": PASSED}
    keys = template(role)
    if reply.check == FAILED:
        keys.update(check=FAILED, rejected=reply.model)
    return keys


def with_opening(keys: Dict[str, str], opening) -> Dict[str, str]:
    """The keys of a message that `opening` (a tone.written_opening Line) starts, the rest
    being the message `keys` describe. The opening's model is the author when its line was
    sent and the rest is the shop's words; when the rest is a model's too, that model stays
    the author and the opening's model and verdict are added (`opening_by`,
    `opening_check`); a refused opening is recorded as refused."""
    if opening.check == NONE:
        return keys
    if keys.get("check") == PASSED:
        return {**keys, "opening_by": opening.model, "opening_check": opening.check}
    if opening.check == PASSED:
        return {"generated_by": opening.model, "role": TONE, "check": PASSED}
    return {**keys, "check": FAILED, "rejected": opening.model}


def model_name(generator) -> str:
    """What a backend's text is recorded as written by: its model, else its name."""
    return getattr(generator, "model", "") or generator.name
