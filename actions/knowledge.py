"""Policy and how-to questions (intent faq), answered from the knowledge base.

What the customer gets, best first:
1. the generator's answer from the retrieved passages, if it passes the grounding check;
2. the best passage's most relevant sentences, when the help pages cover the question;
3. when nothing in the knowledge base is close: "I'm not sure" and the way to a person;
4. only when the knowledge base can't be read: the curated answer (utter_faq/<topic>) the
   NLU picked, if it is confident.
In a conversation in another language L than English, the help pages in L
(data/knowledge/<L>/, searched with the multilingual encoder: shopassist.knowledge.languages)
come first: when they cover the question, the best passage's most relevant sentences, in
L (no model writes in L, the grounding check being English only). When they don't, or the
page is missing in L, or L has no pages at all: the curated answer the NLU picked, if
confident (translated: shopassist/language/replies/), else an English answer after one
line in L saying it is in English (the English section of the page L lacks, found by the
same search; else the English pages' answer as above), else "not sure" with its buttons
in L.
The passage goes before the curated answer because it answers the question asked: on the
graded questions (tests/knowledge/policy_questions.yml) a curated answer, written for its
topic's usual question, lost the specific fact ten times more often than it added one
("do t-shirts have a warranty?" got the electronics warranty); figures in
bench/BENCHMARKS.md.
A clearly upset message gets an acknowledgement first (shopassist.generation.empathy). An
answer is followed by the offer to act where the topic leads to a request ("Start a
return" after the return policy), as a button: a question is answered before any form
starts. The reply's event metadata records
which of the four answered (`answered_by`), the language of the pages it came from
(`language`) and what wrote it (`generated_by`, `check`).
A press of the help-page button among "Did you mean ...?"'s (shopassist.dialogue.help_offer)
is answered from exactly the section offered: its sentences most like the message it was
offered for, recorded as `answered_by: did_you_mean`.
In the web chat (socket.io) with a streaming backend, the model's text is shown as it is
written (shopassist.generation.drafts) and the reply, carrying the draft's `stream_id`,
replaces it: the checked answer, or the passage when the check refused the model's.
"""

from __future__ import annotations

import asyncio
import logging
from typing import List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.authorship import authored
from shopassist.dialogue import help_offer
from shopassist.dialogue.intents import button, follow_up
from shopassist.generation import drafts, get_generator, provenance
from shopassist.generation.empathy import opened, opening_in
from shopassist.generation.knowledge_answers import (
    KnowledgeReply,
    answer_in_language,
    answer_question,
)
from shopassist.knowledge import get_index
from shopassist.knowledge.catalog import catalog_names
from shopassist.knowledge.languages import language_index
from shopassist.language.conversation import DEFAULT as DEFAULT_LANGUAGE
from shopassist.language.messages import message
from shopassist.language.turns import conversation_language_of

logger = logging.getLogger(__name__)

CURATED_MIN_CONFIDENCE = 0.5


def human_buttons(language: str = DEFAULT_LANGUAGE) -> List[dict]:
    """The buttons after "not sure": a person, or another question."""
    return [
        button("human_handoff", language),
        {"title": message("knowledge.ask_something_else", language), "payload": "/out_of_scope"},
    ]


HUMAN_BUTTONS = human_buttons()


def _selected(tracker: Tracker) -> dict:
    selector = tracker.latest_message.get("response_selector") or {}
    picked = selector.get("faq") or selector.get("default") or {}
    return picked.get("response") or {}


def topic(tracker: Tracker) -> Optional[str]:
    """The help topic the NLU reads in the latest message (faq/<name>; the parse's
    `response_selector`, written by shopassist.nlu.answer_picks)."""
    key = str(_selected(tracker).get("intent_response_key") or "")
    return key if key.startswith("faq/") else None


def curated_topic(tracker: Tracker) -> Optional[str]:
    """The help topic (faq/<name>) of the curated answer the NLU picked, if confident."""
    response = _selected(tracker)
    if (response.get("confidence") or 0.0) < CURATED_MIN_CONFIDENCE:
        return None
    key = str(response.get("intent_response_key") or "")
    return key if key.startswith("faq/") else None


def curated_answer(tracker: Tracker) -> Optional[str]:
    """The curated answer the NLU picked for the latest message, if it is confident."""
    if curated_topic(tracker) is None:
        return None
    response = _selected(tracker)
    texts = [r.get("text") for r in response.get("responses") or [] if r.get("text")]
    return texts[0] if texts else None


def section_reply(section: str, question: str, language: str) -> Optional[KnowledgeReply]:
    """The answer from one section of the help pages (picked from "did you mean"), or None
    when it can't be read."""
    try:
        return help_offer.section_reply(section, question, language)
    except Exception:  # the index or the encoder failed to load
        logger.exception("help page section %s unavailable", section)
        return None


def knowledge_reply(question: str, on_text=None) -> Optional[KnowledgeReply]:
    try:
        return answer_question(
            question, get_index(), get_generator(), catalog_names(), on_text=on_text
        )
    except Exception:  # the index or the encoder failed to load: curated answers still work
        logger.exception("knowledge base unavailable")
        return None


def own_language_reply(question: str, language: str) -> Optional[KnowledgeReply]:
    """The answer from the help pages in `language` (or from the English section of a page
    missing in it), if that language has pages and they cover the question."""
    try:
        return answer_in_language(question, language_index(language))
    except Exception:  # a broken page in that language: the English side still answers
        logger.exception("help pages in %s unavailable", language)
        return None


def choose(
    reply: Optional[KnowledgeReply], curated: Optional[str], language: str = DEFAULT_LANGUAGE
):
    """(text, where it came from, buttons) by the order in this module's docstring, for a
    conversation in `language`."""
    if reply is not None and reply.source != "unknown":
        text = reply.text if reply.language == language else in_english(reply.text, language)
        return text, reply.source, []
    # The help pages decide what is covered (UNKNOWN_BELOW was tuned for that, apart from
    # any graded set): a curated answer picked for a question they don't cover would answer
    # a neighbouring question ("do your gift cards expire?" -> the payment methods).
    if curated and reply is None:
        return in_english(curated, language), "curated", []
    if reply is not None:
        return message("knowledge.not_sure", language), "unknown", human_buttons(language)
    return None, None, []


def in_english(text: str, language: str) -> str:
    """An English answer, for a conversation in `language`: after a line in that language
    saying it is in English (the help pages and the grounding check are English only)."""
    if language == DEFAULT_LANGUAGE:
        return text
    return message("knowledge.in_english", language) + "\n" + text


def start_drafts(tracker: Tracker):
    """The draft of this answer in the web chat, or None (REST, shell, a backend that
    doesn't stream)."""
    try:
        return drafts.start(tracker.get_latest_input_channel(), tracker.sender_id, get_generator())
    except Exception:  # never the answer's problem
        logger.exception("drafts unavailable")
        return None


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    @authored("answer")
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        question = tracker.latest_message.get("text") or ""
        language = conversation_language_of(tracker.events)
        picked = help_offer.picked_section(tracker.events)
        if picked is not None:  # the help-page section pressed among "did you mean"'s buttons
            section, question = picked
            reply = await asyncio.to_thread(section_reply, section, question, language)
            if reply is not None:
                return self.answer_section(dispatcher, language, reply)
            # The pages changed since the offer: the message it was offered for is the question.
        own = None
        if language != DEFAULT_LANGUAGE:
            # The help pages in the customer's language, when they cover the question.
            own = await asyncio.to_thread(own_language_reply, question, language)
            if own is not None and own.language == language:
                return self.answer(dispatcher, tracker, language, own, {})
        # Not covered there: in another language the curated answer, which Rasa renders in
        # the conversation's language, beats an English passage (or none found).
        picked = curated_topic(tracker)
        if picked and language != DEFAULT_LANGUAGE:
            dispatcher.utter_message(response=f"utter_{picked}", answered_by="curated")
            return []
        if own is not None:  # the English section of a page the customer's language lacks
            return self.answer(dispatcher, tracker, language, own, {})
        # Retrieval and generation block (up to the generator's timeout): off the event loop.
        draft = start_drafts(tracker)
        try:
            reply = await asyncio.to_thread(knowledge_reply, question, draft)
        finally:
            if draft is not None:
                draft.close()  # nothing is shown after this: the reply replaces it
        # The reply takes the draft's place in the chat, whatever it says.
        replaces = {"stream_id": draft.stream_id} if draft is not None else {}
        return self.answer(dispatcher, tracker, language, reply, replaces)

    def answer_section(self, dispatcher, language, reply) -> List[EventType]:
        """The sentences of the section the customer picked, recorded as that path."""
        text = reply.text if reply.language == language else in_english(reply.text, language)
        dispatcher.utter_message(
            text=text,
            answered_by=help_offer.PATH,  # event metadata: the console counts which path answered
            language=reply.language,
        )
        return []

    def answer(self, dispatcher, tracker, language, reply, replaces) -> List[EventType]:
        """Sends the reply (or what stands in for it) by the order in the docstring."""
        text, source, buttons = choose(reply, curated_answer(tracker), language)
        if text is None:  # no knowledge base and no confident pick: the selector's best
            dispatcher.utter_message(response="utter_faq", **replaces)
            return []
        logger.info("knowledge answer from %s (score %.2f)", source, reply.score if reply else 0)
        # Answered first, then the offer to act: the request the question named (set by
        # shopassist.nlu.help_search), else the one its topic leads to.
        # Not after "I'm not sure": no request is pushed on an answer the pages lack.
        if source != "unknown":
            offer = tracker.latest_message.get("offer")
            buttons = buttons + follow_up(topic(tracker), offer, language)
        # The model's answer, or the shop's words with the checker's verdict on the model's.
        authorship = (
            provenance.of_reply(reply, "answer") if reply else provenance.template("answer")
        )
        # ... and which model (if any) picked the passage the reply came from.
        picked = reply is not None and reply.chosen_by and source in {"passage", "unknown"}
        chosen = {"chosen_by": reply.chosen_by} if picked else {}
        # The language of the pages the answer came from (the customer's, or English).
        written_in = {"language": reply.language} if reply and source != "unknown" else {}
        # An upset customer's question opens with the acknowledgement (its writer recorded).
        opening = opening_in(tracker, language)
        dispatcher.utter_message(
            text=opened(text, opening.text, language),
            buttons=buttons,
            answered_by=source,  # event metadata: the console counts which path answered
            **provenance.with_opening(authorship, opening),
            **chosen,
            **written_in,
            **replaces,
        )
        return []
