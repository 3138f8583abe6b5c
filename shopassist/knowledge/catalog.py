"""Product search and recommendations over the catalog in the database.

Each product's name and kind are embedded once (cached on disk, keyed by the catalog's
names); prices and stock are read from the database at every request, so an answer never
quotes a stale price. "wireless headphones under 100 dollars" keeps the in-stock products
in the price range and ranks them by similarity to "wireless headphones".
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np
from sqlalchemy.orm import Session

from shopassist.formats import money
from shopassist.knowledge import vector_cache
from shopassist.knowledge.constraints import ProductQuery, parse_query
from shopassist.knowledge.embedder import SentenceEmbedder, get_embedder
from shopassist.store.models import Product

logger = logging.getLogger(__name__)

# Below this similarity a product is not taken as what the customer asked for.
MIN_SIMILARITY = 0.35


@dataclass(frozen=True)
class ProductView:
    id: int
    name: str
    category: str
    subcategory: str
    price: str
    price_cents: int
    in_stock: bool
    stock: int
    colours: tuple
    sizes: tuple
    warranty_months: int
    score: float

    def line(self) -> str:
        return f"{self.name}: {self.price}" + ("" if self.in_stock else " (out of stock)")


def _text(product: Product) -> str:
    return f"{product.name} ({product.subcategory}, {product.category})"


class ProductIndex:
    def __init__(self, embedder: SentenceEmbedder, cache_dir: Path | None = None) -> None:
        self.embedder = embedder
        self.cache_dir = vector_cache.cache_dir(cache_dir)
        self._vectors: Dict[int, np.ndarray] = {}
        self._key = ""
        self._lock = threading.Lock()

    def vectors_for(self, products: Sequence[Product]) -> Dict[int, np.ndarray]:
        key_source = "\n".join(f"{p.id}\t{_text(p)}" for p in sorted(products, key=lambda p: p.id))
        key = hashlib.sha256((self.embedder.fingerprint + key_source).encode()).hexdigest()[:16]
        with self._lock:
            if key != self._key:
                self._vectors, self._key = self._load_or_build(products, key), key
            return self._vectors

    def _load_or_build(self, products: Sequence[Product], key: str) -> Dict[int, np.ndarray]:
        path = self.cache_dir / f"catalog-{key}.npz"
        ids = sorted(p.id for p in products)
        cached = vector_cache.load(path)
        if cached and "ids" in cached and list(cached["ids"]) == ids:
            return dict(zip(ids, cached["vectors"]))
        by_id = {p.id: p for p in products}
        vectors = self.embedder.embed([_text(by_id[i]) for i in ids])
        vector_cache.save(path, ids=np.array(ids), vectors=vectors)
        return dict(zip(ids, vectors))

    def search(
        self, session: Session, query: ProductQuery, limit: int = 3, in_stock_only: bool = True
    ) -> List[ProductView]:
        products = session.query(Product).all()
        if not products or not query.words:
            return []
        vectors = self.vectors_for(products)
        wanted = self.embedder.embed([query.words])[0]
        found = []
        for product in products:
            if in_stock_only and product.stock <= 0:
                continue
            if query.max_cents is not None and product.price_cents > query.max_cents:
                continue
            if query.min_cents is not None and product.price_cents < query.min_cents:
                continue
            score = float(vectors[product.id] @ wanted)
            if score >= MIN_SIMILARITY:
                found.append((score, product))
        found.sort(key=lambda pair: (-pair[0], pair[1].price_cents))
        return [_view(product, score) for score, product in found[:limit]]


def _view(product: Product, score: float) -> ProductView:
    return ProductView(
        id=product.id,
        name=product.name,
        category=product.category,
        subcategory=product.subcategory,
        price=money(product.price_cents),
        price_cents=product.price_cents,
        in_stock=product.stock > 0,
        stock=product.stock,
        colours=tuple(product.colour_options),
        sizes=tuple(product.size_options),
        warranty_months=product.warranty_months,
        score=score,
    )


_index: ProductIndex | None = None
_index_lock = threading.Lock()


def get_product_index() -> ProductIndex:
    global _index
    with _index_lock:
        if _index is None:
            _index = ProductIndex(get_embedder())
        return _index


def recommend(session: Session, request: str, limit: int = 3) -> tuple:
    """(the parsed request, in-stock products that fit it, best first)."""
    query = parse_query(request)
    return query, get_product_index().search(session, query, limit)


def find_product(session: Session, name: str) -> ProductView | None:
    """The catalog product a customer names ("the air fryer"), in stock or not."""
    hits = get_product_index().search(session, ProductQuery(name), 1, in_stock_only=False)
    return hits[0] if hits else None


_names: tuple = ()
_names_lock = threading.Lock()


def catalog_names() -> tuple:
    """Product names, brands and kinds: a generated answer may name them only if its
    sources do. Read once per process; an unreachable database gives an empty list."""
    global _names
    with _names_lock:
        if not _names:
            from shopassist.store.db import session_scope

            try:
                with session_scope() as session:
                    rows = session.query(Product.name, Product.subcategory).all()
            except Exception:  # noqa: BLE001 - the check still covers numbers and dates
                logger.warning("catalog names unavailable for grounding checks")
                return ()
            brands = {name.split()[0] for name, _ in rows}
            _names = tuple(sorted({name for name, _ in rows} | brands))
        return _names
