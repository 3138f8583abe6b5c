"""The web app: the shop page with the chat widget, and the support team's console.

One Sanic app (Sanic comes with Rasa), server-side pages from Jinja2 templates with
autoescaping on, so customer text is always shown escaped; the only scripts are static
files (a Content-Security-Policy without 'unsafe-inline' enforces it).
"""

from __future__ import annotations

import logging
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any, Callable, Dict, Optional
from urllib.parse import quote, unquote, urlparse

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request
from sqlalchemy import create_engine

from shopassist import at_rest, proxies
from shopassist.console import (
    accounts,
    analytics,
    annotations,
    demo,
    desk,
    flags,
    languages,
    listing,
    photos,
    product_copy,
    stories,
    takeover,
)
from shopassist.console.blocking import off_loop
from shopassist.console.conversations import ConversationStore
from shopassist.console.settings import Settings
from shopassist.generation.product_copy import ProductFacts
from shopassist.store import feedback, presence, return_photos, support
from shopassist.store import product_copy as copy_store
from shopassist.store.db import session_scope
from shopassist.store.models import message_key
from shopassist.store.product_sheet import picture

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
COOKIE = "shopassist_console"
FILTERS = ("fallback", "handoff", "negative", "low_confidence", "paused")


def create_app(settings: Optional[Settings] = None, db_url: Optional[str] = None) -> Sanic:
    settings = settings or Settings.from_env()
    app = Sanic("shopassist-console")
    app.config.KEEP_ALIVE_TIMEOUT = 30
    proxies.trust_proxies(app)  # login slow-downs key on the client, not the Ingress
    app.ctx.settings = settings
    app.ctx.db_url = db_url
    app.ctx.conversations = ConversationStore(
        create_engine(settings.tracker_db_url, future=True), at_rest.from_env()
    )

    @app.before_server_start
    async def index_the_events(app: Sanic, _loop) -> None:
        await off_loop(listing.ensure_indexes, app.ctx.conversations.engine)

    app.ctx.rasa = takeover.RasaClient(settings.rasa_url, settings.rasa_token)
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    app.static("/static", str(HERE / "static"))

    def db():
        return session_scope(app.ctx.db_url)

    async def in_db(function: Callable, *args: Any) -> Any:
        """`function(session, *args)` in one unit of work, off the event loop."""

        def run():
            with db() as session:
                return function(session, *args)

        return await off_loop(run)

    def render(request: Request, name: str, status: int = 200, **context: Any):
        context.setdefault("user", getattr(request.ctx, "user", None))
        context.setdefault("message", request.args.get("message"))
        context.setdefault("data_problem", app.ctx.conversations.problem())
        return response.html(templates.get_template(name).render(**context), status=status)

    @app.exception(at_rest.DataKeyError)
    async def unreadable(request: Request, error: at_rest.DataKeyError):
        logger.error("%s: %s", request.path, error)
        return render(request, "unreadable.html", status=503, reason=str(error))

    @app.middleware("response")
    async def security_headers(request: Request, resp) -> None:
        socket = settings.socket_url
        ws = socket.replace("http", "ws", 1)
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            f"connect-src 'self' {socket} {ws}; frame-ancestors 'none'; form-action 'self'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")

    def same_origin(request: Request) -> bool:
        """Forms post only from this site (with SameSite cookies: a CSRF guard in depth)."""
        origin = request.headers.get("origin") or request.headers.get("referer")
        # The Host header itself: with trusted proxies Sanic's request.host would believe
        # an X-Forwarded-Host the client sent through them.
        return not origin or urlparse(origin).netloc == request.headers.get("host", "")

    def login_required(handler: Callable):
        @wraps(handler)
        async def wrapper(request: Request, *args, **kwargs):
            token = request.cookies.get(COOKIE)
            user = await in_db(accounts.current_user, token)
            wants_json = request.path.startswith("/console/api/")
            if user is None:
                note = "Your session has expired: please log in again." if token else None
                if wants_json:
                    return response.json({"error": "login required"}, status=401)
                target = "/console/login?next=" + quote(request.path)
                if note:
                    target += "&message=" + quote(note)
                return response.redirect(target)
            if request.method == "POST" and not same_origin(request):
                return response.text("cross-site request refused", status=403)
            request.ctx.user = user
            return await handler(request, *args, **kwargs)

        return wrapper

    # --- the shop page --------------------------------------------------------------

    @app.get("/")
    async def shop(request: Request):
        page = HERE / "static" / "shop" / "index.html"
        return await response.file(str(page))

    @app.get("/products")
    async def shop_catalog(request: Request):
        """The catalog, each product linked to its page, with the first paragraph of the
        description saved in the console."""

        def read(session):
            found = copy_store.products(session)
            return found, copy_store.latest(session, [p.id for p in found])

        found, saved = await in_db(read)
        items = [
            {
                "sku": product.sku,
                "name": product.name,
                "price": ProductFacts.of(product).price,
                "description": (saved[product.id].text.strip().split("\n")[0])
                if product.id in saved
                else "",
            }
            for product in found
        ]
        return response.html(templates.get_template("shop_products.html").render(items=items))

    @app.get("/products/<sku:str>")
    async def shop_product(request: Request, sku: str):
        """A product of the catalog with the description saved in the console (plain text,
        escaped by the template like everything else)."""

        def read(session):
            product = copy_store.product_by_sku(session, sku)
            saved = copy_store.current(session, product.id) if product else None
            return product, saved

        product, saved = await in_db(read)
        if product is None:
            return response.html(
                "<!doctype html><title>Not found</title><p>No such product.</p>", 404
            )
        return response.html(
            templates.get_template("shop_product.html").render(
                product=product,
                facts=ProductFacts.of(product),
                description=saved.text if saved else "",
                picture=picture(product.category, product.subcategory),
            )
        )

    @app.get("/api/chat-config")
    async def chat_config(request: Request):
        return response.json(
            {
                "socket_url": settings.socket_url,
                "socket_path": "/socket.io/",
                "demo_login": demo.enabled(),
            }
        )

    @app.get("/api/demo/customers")
    async def demo_customers(request: Request):
        return response.json(await in_db(demo.customers))

    @app.post("/api/demo/login")
    async def demo_login(request: Request):
        body = request.json  # malformed JSON: Sanic answers 400 itself
        email = str(body.get("email") or "") if isinstance(body, dict) else ""
        if not demo.enabled():
            return response.json({"error": "demo login is off"}, status=503)
        try:
            login = await in_db(demo.log_in, email)
        except demo.NotDemoData as error:
            return response.json({"error": str(error)}, status=503)
        if login is None:
            return response.json({"error": "not a demo customer"}, status=404)
        return response.json(login)

    @app.post("/api/demo/logout")
    async def demo_logout(request: Request):
        return response.empty()

    # --- console: login -------------------------------------------------------------

    @app.get("/console")
    async def console_home(request: Request):
        return response.redirect("/console/conversations")

    @app.get("/console/login")
    async def login_form(request: Request):
        return render(request, "login.html", next=request.args.get("next", ""))

    @app.post("/console/login")
    async def login(request: Request):
        if not same_origin(request):
            return response.text("cross-site request refused", status=403)
        form = request.form
        username, password = form.get("username", ""), form.get("password", "")
        target = form.get("next") or "/console/conversations"
        if not target.startswith("/console/") or target.startswith("//"):
            target = "/console/conversations"  # never redirect off the console
        address = proxies.client_address(request)
        try:
            token = await in_db(accounts.log_in, username, password, address, settings.session_ttl)
        except accounts.TooManyAttempts as locked:
            seconds = max(1, round(locked.retry_after.total_seconds()))
            wait = f"{seconds} seconds" if seconds < 120 else f"{round(seconds / 60)} minutes"
            return render(
                request,
                "login.html",
                status=429,
                error=f"Too many failed attempts from your address. Try again in {wait}.",
                next=target,
            )
        if token is None:
            return render(
                request, "login.html", status=401, error="Wrong user name or password.",
                next=target,
            )  # fmt: skip
        resp = response.redirect(target)
        resp.cookies[COOKIE] = token
        cookie = resp.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/console"
        cookie["max-age"] = int(settings.session_ttl.total_seconds())
        cookie["secure"] = settings.secure_cookies
        return resp

    @app.post("/console/logout")
    @login_required
    async def logout(request: Request):
        def log_out(session) -> None:
            accounts.log_out(session, request.cookies.get(COOKIE))
            presence.mark_away(session, request.ctx.user.username)  # gone from the queue

        await in_db(log_out)
        resp = response.redirect("/console/login?message=" + quote("You are logged out."))
        del resp.cookies[COOKIE]
        return resp

    # --- console: conversations -----------------------------------------------------

    def ratings() -> Dict[str, int]:
        with db() as session:
            return support.latest_ratings(session)

    @app.get("/console/conversations")
    @login_required
    async def conversation_list(request: Request):
        args = request.args
        query = listing.ListQuery(
            start=_day(args.get("from")),
            end=_day(args.get("to")),
            intent=(args.get("intent") or "").strip(),
            flags=[f for f in FILTERS if args.get(f)],
            rating=(args.get("rating") or "").strip(),
            language=languages.wanted(args.get("language")),
            search=(args.get("q") or "").strip()[: listing.MAX_SEARCH],
            before=listing.Cursor.parse(args.get("before")),
            after=listing.Cursor.parse(args.get("after")),
        )
        page = await in_db(lambda session: listing.page_of(app.ctx.conversations, query, session))
        kept = "&".join(
            f"{quote(k)}={quote(v)}" for k, v in request.query_args if k not in ("before", "after")
        )
        return render(
            request, "conversations.html", page=page, conversations=page.conversations,
            intents=listing.domain_intents(settings.domain), args=args, filters=FILTERS,
            languages=languages.FILTER, language=query.language,
            query=kept, scan_limit=listing.SCAN_LIMIT,
            encrypted=app.ctx.conversations.cipher is not None,
        )  # fmt: skip

    @app.get("/console/conversations/<conversation:str>")
    @login_required
    async def conversation_view(request: Request, conversation: str):
        conversation = unquote(conversation)  # "rest:..." arrives as rest%3A...
        turns = await off_loop(app.ctx.conversations.transcript, conversation)
        if not turns:
            return render(request, "not_found.html", status=404, what="conversation")
        rated = await in_db(feedback.of_conversation, conversation)
        for turn in turns:
            if turn.kind == "bot":
                turn.feedback = rated.get(message_key(turn.at))
        return render(
            request, "transcript.html", conversation=conversation, turns=turns,
            damage_photos=await in_db(return_photos.of_conversation, conversation),
        )  # fmt: skip

    def message_text(conversation: str, message_at: str) -> Optional[str]:
        for turn in app.ctx.conversations.transcript(conversation):
            if turn.kind == "user" and annotations.message_key(turn.at) == message_at:
                return turn.text
        return None

    @app.post("/console/conversations/<conversation:str>/flag")
    @login_required
    async def flag_message(request: Request, conversation: str):
        conversation = unquote(conversation)  # "rest:..." arrives as rest%3A...
        message_at = request.form.get("message_at", "")
        text = await off_loop(message_text, conversation, message_at)
        if text is None:
            return render(request, "not_found.html", status=404, what="message")
        agent = request.ctx.user.username
        await in_db(flags.mark, conversation, message_at, text, "flagged", agent)
        note = "Flagged: the message is in the annotation inbox."
        return response.redirect(
            f"/console/conversations/{quote(conversation)}?message={quote(note)}"
        )

    @app.post("/console/conversations/<conversation:str>/story")
    @login_required
    async def save_story(request: Request, conversation: str):
        conversation = unquote(conversation)
        rows = await off_loop(app.ctx.conversations.rows, conversation)
        back = f"/console/conversations/{quote(conversation)}?message="
        try:
            story = stories.test_story(rows, request.form.get("name") or conversation)
            names = await off_loop(stories.save_story, settings.reviewed_stories, story)
        except ValueError as error:
            return response.redirect(back + quote(f"Not saved: {error}"))
        where = settings.reviewed_stories.name
        return response.redirect(back + quote(f"Saved as test story '{names[0]}' in {where}."))

    # --- console: annotation inbox --------------------------------------------------

    def labels():
        return annotations.domain_labels(settings.domain)

    @app.get("/console/inbox")
    @login_required
    async def inbox(request: Request):
        known = await in_db(flags.all_flags)
        items = await off_loop(annotations.inbox, app.ctx.conversations, known)
        intents, entities = await off_loop(labels)
        return render(
            request, "inbox.html", items=items, intents=intents, entities=entities,
            target=settings.reviewed_nlu.name, error=request.args.get("error"),
        )  # fmt: skip

    @app.post("/console/inbox")
    @login_required
    async def annotate(request: Request):
        form = request.form
        conversation, message_at = form.get("conversation", ""), form.get("message_at", "")
        text = await off_loop(message_text, conversation, message_at)
        if text is None:
            return render(request, "not_found.html", status=404, what="message")
        reviewer = request.ctx.user.username
        if form.get("action") == "dismiss":
            await in_db(flags.mark, conversation, message_at, text, "dismissed", reviewer)
            return response.redirect("/console/inbox?message=" + quote("Dismissed."))
        intents, entities = await off_loop(labels)
        try:
            saved = await off_loop(
                annotations.annotate, settings.reviewed_nlu, text,
                form.get("intent", ""), form.get("markup") or None, intents, entities,
            )  # fmt: skip
        except annotations.AnnotationError as error:
            return response.redirect("/console/inbox?error=" + quote(str(error)))
        await in_db(flags.mark, conversation, message_at, text, "annotated", reviewer)
        note = f"Saved to {settings.reviewed_nlu.name} as {saved['intent']}."
        return response.redirect("/console/inbox?message=" + quote(note))

    # --- console: analytics ---------------------------------------------------------

    def figures() -> Dict[str, Any]:
        """The tracker store's figures, with the customers' thumbs on single answers (kept in
        the shop database, like the ratings)."""
        with db() as session:
            answers = feedback.figures(session)
        return {**analytics.figures(app.ctx.conversations, ratings()), "answer_feedback": answers}

    @app.get("/console/analytics")
    @login_required
    async def analytics_page(request: Request):
        return render(request, "analytics.html", figures=await off_loop(figures))

    @app.get("/console/api/analytics")
    @login_required
    async def analytics_json(request: Request):
        return response.json(await off_loop(figures))

    # --- console: the takeover desk (handoff queue, takeover, presence, profile) -----

    desk.register(app, render, login_required, in_db)
    photos.register(app, login_required, in_db)  # customers' photos of damage
    product_copy.register(app, render, login_required, in_db)  # descriptions for the shop

    return app


def _day(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
