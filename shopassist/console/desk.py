"""The console's takeover desk: the handoff queue, a ticket's live takeover, the agent's
presence at the queue, their typing, and the name and avatar customers see.

Registered by shopassist.console.app, which hands over its page renderer, its login check
(every route here needs a logged-in agent; posts must come from the console's own pages)
and `in_db`, which runs a function with a database session off the event loop.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Dict
from urllib.parse import quote, unquote

from sanic import Sanic, response
from sanic.request import Request

from shopassist import clock
from shopassist.console import languages, profiles, takeover
from shopassist.console.blocking import off_loop
from shopassist.dialogue.handoff_summary import template_summary
from shopassist.formats import moment
from shopassist.generation.provenance import TEMPLATE
from shopassist.store import presence, return_photos, support

logger = logging.getLogger(__name__)


def register(app: Sanic, render: Callable, login_required: Callable, in_db: Callable) -> None:
    @app.get("/console/handoffs")
    @login_required
    async def handoff_queue(request: Request):
        language = languages.wanted(request.args.get("language"))

        def read(session):
            tickets = [_ticket_view(t) for t in support.queue(session, language)]
            return tickets, profiles.get(session, request.ctx.user.username)

        tickets, profile = await in_db(read)
        return render(
            request, "handoffs.html", tickets=tickets, profile=profile, colours=profiles.COLOURS,
            waiting=sum(t["status"] == "open" for t in tickets),
            languages=languages.FILTER, language=language,
        )  # fmt: skip

    @app.get("/console/handoffs/<ticket_id:int>")
    @login_required
    async def handoff_view(request: Request, ticket_id: int):
        def read(session):
            ticket = support.get_ticket(session, ticket_id)
            # The summary only here: the queue would read every ticket's transcript for it.
            view = {**_ticket_view(ticket), **_summary(ticket)} if ticket else None
            photos = return_photos.of_conversation(session, ticket.conversation) if ticket else []
            return view, profiles.get(session, request.ctx.user.username), photos

        view, profile, photos = await in_db(read)
        if view is None:
            return render(request, "not_found.html", status=404, what="ticket")
        turns = await off_loop(app.ctx.conversations.transcript, view["conversation"])
        return render(
            request, "handoff.html", ticket=view, turns=turns, profile=profile,
            colours=profiles.COLOURS, damage_photos=photos,
        )  # fmt: skip

    @app.post("/console/handoffs/<ticket_id:int>/<step:(take|reply|hand-back)>")
    @login_required
    async def handoff_step(request: Request, ticket_id: int, step: str):
        agent = request.ctx.user.username

        def read(session):
            ticket = support.get_ticket(session, ticket_id)
            if ticket is None:
                return None
            return ticket.conversation, ticket.status, profiles.get(session, agent)

        found = await in_db(read)
        if found is None:
            return render(request, "not_found.html", status=404, what="ticket")
        conversation, status, profile = found
        back = f"/console/handoffs/{ticket_id}"
        if status == "closed":
            return response.redirect(back + "?message=" + quote("This ticket is closed."))
        try:
            if step == "take":
                await app.ctx.rasa.take_over(conversation, agent, profile)
            elif step == "reply":
                if status != "taken":
                    raise ValueError("take the conversation over before replying")
                text = request.form.get("text", "")
                await app.ctx.rasa.say(conversation, text, agent, profile)
            else:
                await app.ctx.rasa.hand_back(conversation, agent)
        except ValueError as error:
            return response.redirect(back + "?message=" + quote(str(error)))
        except takeover.RasaUnavailable as error:
            logger.warning("takeover step %s failed: %s", step, error)
            note = "The assistant's server is not reachable: nothing was sent. Try again."
            return response.redirect(back + "?message=" + quote(note))

        def record(session) -> None:
            ticket = support.get_ticket(session, ticket_id)
            if step == "take":
                support.take(session, ticket, agent)
            elif step == "hand-back":
                support.close(session, ticket, agent)

        await in_db(record)
        return response.redirect(back)

    @app.post("/console/api/handoffs/<ticket_id:int>/typing")
    @login_required
    async def handoff_typing(request: Request, ticket_id: int):
        """The agent started or stopped typing a reply: shown in the customer's chat."""
        body = request.json
        typing = body.get("typing") if isinstance(body, dict) else None
        if not isinstance(typing, bool):
            return response.json({"error": "'typing' is true or false"}, status=400)

        def read(session):
            ticket = support.get_ticket(session, ticket_id)
            conversation = ticket.conversation if ticket else None
            return conversation, ticket is not None and ticket.status == "taken"

        conversation, taken = await in_db(read)
        if conversation is None:
            return response.json({"error": "no such ticket"}, status=404)
        if not taken:
            return response.json({"error": "the conversation is not taken over"}, status=409)
        try:
            await app.ctx.rasa.typing(conversation, typing)
        except takeover.RasaUnavailable as error:
            logger.warning("typing signal failed: %s", error)
            return response.json({"error": "the assistant's server is not reachable"}, status=502)
        return response.empty()

    @app.post("/console/api/presence")
    @login_required
    async def presence_beat(request: Request):
        """The handoff queue's heartbeat: {"here": true} while it is open, visible and in
        use, {"here": false} when it is left. Answers with the queue (its ticket ids, and
        how many wait for a person), so the page can show and announce a new ticket."""
        body = request.json
        here = body.get("here") if isinstance(body, dict) else None
        if not isinstance(here, bool):
            return response.json({"error": "'here' is true or false"}, status=400)
        username = request.ctx.user.username

        def beat(session):
            if here:
                presence.mark_available(session, username)
            else:
                presence.mark_away(session, username)
            return presence.agents_available(session), support.queue(session)

        available, queue = await in_db(beat)
        return response.json(
            {
                "here": here,
                "agents_available": available,
                "tickets": [t.id for t in queue],
                # Customers nobody has taken yet: the count in the page's title.
                "waiting": sum(t.status == "open" for t in queue),
            }
        )

    @app.get("/console/api/handoffs/queue")
    @login_required
    async def queue_json(request: Request):
        """The queue's tickets and how many wait for a person: the queue page polls it
        (visible or not: a hidden tab's title still counts who is waiting), with its
        language filter."""
        language = languages.wanted(request.args.get("language"))
        queue = await in_db(support.queue, language)
        return response.json(
            {"tickets": [t.id for t in queue], "waiting": sum(t.status == "open" for t in queue)}
        )

    @app.get("/console/profile")
    @login_required
    async def profile_form(request: Request):
        profile = await in_db(profiles.get, request.ctx.user.username)
        return _profile_page(render, request, profile)

    @app.post("/console/profile")
    @login_required
    async def profile_save(request: Request):
        form = request.form
        username = request.ctx.user.username
        try:
            await in_db(profiles.save, username, form.get("display_name"), form.get("avatar"))
        except profiles.ProfileError as error:
            typed = profiles.Profile(form.get("display_name") or "", form.get("avatar") or "")
            return _profile_page(render, request, typed, error=str(error), status=400)
        note = "Saved: customers see this name and avatar when you join their chat."
        return response.redirect("/console/profile?message=" + quote(note))

    @app.get("/console/api/conversations/<conversation:str>/transcript")
    @login_required
    async def transcript_json(request: Request, conversation: str):
        conversation = unquote(conversation)  # "rest:..." arrives as rest%3A...
        turns = await off_loop(app.ctx.conversations.transcript, conversation)
        return response.json(
            [
                {"kind": t.kind, "time": t.time, "text": t.text, "intent": t.intent,
                 "agent": t.agent, "name": t.name, "button": t.button, "ranking": t.ranking}
                for t in turns
                if t.kind in ("user", "bot", "paused", "resumed")
            ]
        )  # fmt: skip


def _profile_page(render: Callable, request: Request, profile, error=None, status: int = 200):
    return render(
        request, "profile.html", status=status, profile=profile, error=error,
        choices=profiles.avatar_choices(), colours=profiles.COLOURS,
        default_name=profiles.DEFAULT_NAME,
    )  # fmt: skip


def _ticket_view(ticket) -> Dict[str, Any]:
    return {
        "id": ticket.id,
        "reference": support.reference(ticket.id),
        "conversation": ticket.conversation,
        "reason": ticket.reason,
        "status": ticket.status,
        "agent": ticket.agent,
        "customer_email": ticket.customer_email,
        "order_number": ticket.order_number,
        "language": ticket.language,
        "language_name": languages.name(ticket.language),
        "created": moment(ticket.created_at),
        "waiting_minutes": int((clock.now() - ticket.created_at).total_seconds() // 60),
    }


def _summary(ticket) -> Dict[str, Any]:
    """The ticket's summary (shopassist.dialogue.handoff_summary) and the model that wrote
    it ("" for the template): the one written when the ticket opened, else (a ticket from
    before summaries were stored) the template's from its transcript."""
    if ticket.summary:
        by = ticket.summary_by if ticket.summary_by not in (None, TEMPLATE) else ""
        return {"summary": ticket.summary, "summary_model": by}
    try:
        turns = json.loads(ticket.transcript or "[]")
    except ValueError:
        turns = None
    text = template_summary(turns) if isinstance(turns, list) else ""
    return {"summary": text, "summary_model": ""}
