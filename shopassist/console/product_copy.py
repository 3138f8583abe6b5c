"""The console's *Products*: a product's description for the shop page, drafted by the
assistant from the catalog's facts, checked, edited and saved by a person.

Registered by shopassist.console.app, which hands over its page renderer, its login check
(every route here needs a logged-in agent; posts must come from the console's own pages)
and `in_db`. The draft (shopassist.generation.product_copy) is shown marked as the
assistant's, with what the checker flagged, in the editor; nothing is stored until the
person saves, and then the text they saved is checked again:

- a draft the checker flagged can't be saved as it was written: the person edits it;
- an edited text the checker still flags is saved only when the person ticks that they
  checked what is flagged (kept with the version as `confirmed`, with the flags);
- every version keeps who drafted it (`written_by`: the template, the model's name, or
  "person") and who saved it (`edited_by`, the logged-in agent).
"""

from __future__ import annotations

import re
from typing import Callable, Optional, Sequence
from urllib.parse import quote

from sanic import Sanic, response
from sanic.request import Request

from shopassist.console.blocking import off_loop
from shopassist.formats import moment
from shopassist.generation import product_copy as copy
from shopassist.store import product_copy as store

# What a draft's author may be recorded as (the form carries it from the draft to the save).
_AUTHOR = re.compile(r"^[\w.:@+/-]{1,120}$")


def refusal(text: str, draft: str, problems: Sequence[str], confirmed: bool) -> Optional[str]:
    """Why `text` may not be saved yet (None: it may), given the assistant's `draft` it was
    edited from and what the checker flags in `text`."""
    if not text.strip():
        return "A description can't be empty."
    if not problems:
        return None
    if draft.strip() and text.strip() == draft.strip():
        return "The checker flagged this draft: edit the flagged parts before saving it."
    if not confirmed:
        return (
            "The checker still flags the text: check each flagged part against the product's "
            "facts, then tick the box to save it as it is."
        )
    return None


def author(written_by: str, draft: str) -> str:
    """Who drafted the saved text: the draft's writer, or a person who wrote without one."""
    if draft.strip() and _AUTHOR.match(written_by or ""):
        return written_by
    return copy.PERSON


def register(app: Sanic, render: Callable, login_required: Callable, in_db: Callable) -> None:
    @app.get("/console/products")
    @login_required
    async def product_list(request: Request):
        search = (request.args.get("q") or "").strip()[:80]

        def read(session):
            found = store.products(session, search)
            saved = store.latest(session, [p.id for p in found])
            return [_row(p, saved.get(p.id)) for p in found]

        rows = await in_db(read)
        return render(request, "products.html", rows=rows, q=search, limit=store.MAX_LISTED)

    @app.get("/console/products/<product_id:int>")
    @login_required
    async def product_copy_page(request: Request, product_id: int):
        return await _page(request, product_id)

    @app.post("/console/products/<product_id:int>/draft")
    @login_required
    async def draft_copy(request: Request, product_id: int):
        product = await in_db(store.product, product_id)
        if product is None:
            return render(request, "not_found.html", status=404, what="product")
        facts = copy.ProductFacts.of(product)
        draft = await off_loop(copy.write_draft, facts, copy.configured_writer())
        return await _page(request, product_id, draft=draft)

    @app.post("/console/products/<product_id:int>/save")
    @login_required
    async def save_copy(request: Request, product_id: int):
        form = request.form
        text = (form.get("text") or "").strip()
        draft_text = form.get("draft") or ""
        product = await in_db(store.product, product_id)
        if product is None:
            return render(request, "not_found.html", status=404, what="product")
        facts = copy.ProductFacts.of(product)
        problems = copy.check_copy(text, facts)
        reason = refusal(text, draft_text, problems, form.get("confirm") == "yes")
        written_by = author(form.get("written_by") or "", draft_text)
        if reason is None:
            try:
                await in_db(
                    store.save, product_id, text, written_by, request.ctx.user.username,
                    "confirmed" if problems else "passed", problems,
                )  # fmt: skip
            except store.CopyError as error:
                reason = str(error)
            else:
                note = "Saved: the shop page shows this description."
                return response.redirect(f"/console/products/{product_id}?message={quote(note)}")
        draft = copy.Draft(draft_text, written_by, tuple(copy.check_copy(draft_text, facts)))
        return await _page(
            request, product_id, draft=draft if draft_text else None, text=text,
            problems=problems, error=reason, status=400,
        )  # fmt: skip

    async def _page(
        request: Request,
        product_id: int,
        draft: Optional[copy.Draft] = None,
        text: Optional[str] = None,
        problems: Optional[Sequence[str]] = None,
        error: Optional[str] = None,
        status: int = 200,
    ):
        def read(session):
            product = store.product(session, product_id)
            if product is None:
                return None
            return product, store.history(session, product_id)

        found = await in_db(read)
        if found is None:
            return render(request, "not_found.html", status=404, what="product")
        product, versions = found
        facts = copy.ProductFacts.of(product)
        current = versions[0] if versions else None
        if text is None:  # the editor holds the draft, else the saved text to change
            text = draft.text if draft else (current.text if current else "")
        if problems is None:
            problems = draft.problems if draft else ()
        return render(
            request, "product.html", status=status, product=product, facts=facts,
            facts_text=copy.facts_text(facts), current=current, versions=versions,
            draft=draft, text=text, problems=list(problems), error=error, moment=moment,
            max_chars=store.MAX_TEXT_CHARS,
        )  # fmt: skip


def _row(product, saved) -> dict:
    return {
        "id": product.id,
        "sku": product.sku,
        "name": product.name,
        "category": product.category,
        "price": copy.ProductFacts.of(product).price,
        "saved": saved,
        "saved_at": moment(saved.at) if saved else "",
    }
