"""Product descriptions for the shop page: every saved version, who drafted and who saved it.

A save adds a row (shopassist.store.models.ProductCopy), so earlier versions and their
authors stay; the shop page shows the newest. Texts are plain text: the pages escape them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.store.models import Product, ProductCopy

MAX_TEXT_CHARS = 2000  # what a person may save; the checker flags drafts far shorter
VERDICTS = ("passed", "confirmed")  # the checker found nothing / the person saved it anyway
MAX_LISTED = 500


class CopyError(ValueError):
    """A description that can't be saved; the message says why."""


@dataclass(frozen=True)
class Saved:
    """One saved version, as the pages show it."""

    text: str
    written_by: str
    edited_by: str
    verdict: str
    flagged: List[str]
    at: object  # datetime (naive UTC)

    @classmethod
    def of(cls, row: ProductCopy) -> Saved:
        return cls(
            row.text, row.written_by, row.edited_by, row.verdict, json.loads(row.flagged or "[]"),
            row.created_at,
        )  # fmt: skip


def product(session: Session, product_id: int) -> Optional[Product]:
    return session.get(Product, product_id)


def product_by_sku(session: Session, sku: str) -> Optional[Product]:
    return session.execute(select(Product).where(Product.sku == sku)).scalar_one_or_none()


def products(session: Session, search: str = "") -> List[Product]:
    """The catalog by SKU, or the products whose name or SKU has `search` (any case)."""
    query = select(Product).order_by(Product.sku).limit(MAX_LISTED)
    search = search.strip()
    if search:
        pattern = (
            "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        query = query.where(
            or_(
                func.lower(Product.name).like(pattern, escape="\\"),
                func.lower(Product.sku).like(pattern, escape="\\"),
            )
        )
    return list(session.execute(query).scalars())


def latest(session: Session, product_ids: Sequence[int]) -> Dict[int, Saved]:
    """The newest saved description of each of `product_ids` that has one."""
    if not product_ids:
        return {}
    newest = (
        select(func.max(ProductCopy.id))
        .where(ProductCopy.product_id.in_(list(product_ids)))
        .group_by(ProductCopy.product_id)
    )
    rows = session.execute(select(ProductCopy).where(ProductCopy.id.in_(newest))).scalars()
    return {row.product_id: Saved.of(row) for row in rows}


def current(session: Session, product_id: int) -> Optional[Saved]:
    return latest(session, [product_id]).get(product_id)


def history(session: Session, product_id: int, limit: int = 20) -> List[Saved]:
    """The saved versions, newest first."""
    rows = session.execute(
        select(ProductCopy)
        .where(ProductCopy.product_id == product_id)
        .order_by(ProductCopy.id.desc())
        .limit(limit)
    ).scalars()
    return [Saved.of(row) for row in rows]


def save(
    session: Session,
    product_id: int,
    text: str,
    written_by: str,
    edited_by: str,
    verdict: str,
    flagged: Sequence[str] = (),
) -> Saved:
    """Keeps a new version of the product's description; CopyError (nothing kept) if it
    can't be."""
    text = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    if not text:
        raise CopyError("A description can't be empty.")
    if len(text) > MAX_TEXT_CHARS:
        raise CopyError(f"A description has at most {MAX_TEXT_CHARS} characters.")
    if verdict not in VERDICTS:
        raise CopyError(f"unknown verdict {verdict!r}")
    if not edited_by:
        raise CopyError("Only a logged-in person saves a description.")
    if product(session, product_id) is None:
        raise CopyError("There is no such product.")
    row = ProductCopy(
        product_id=product_id,
        text=text,
        written_by=(written_by or "person")[:120],
        edited_by=edited_by[:60],
        verdict=verdict,
        flagged=json.dumps(list(flagged)),
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return Saved.of(row)
