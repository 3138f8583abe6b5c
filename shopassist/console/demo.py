"""The shop page's demo sign-in: pick a demo customer, get a signed customer token.

A real shop signs the token in its own login flow; here the page stands in for it. Anyone
who can open the page can sign in as a demo customer, so it is opt-in: on only with
SHOPASSIST_DEMO_LOGIN=1 and a token secret (`make run` sets both, the secret new each run).
Even then it refuses to work against a database that holds anything but the generated demo
data (its customers, at example domains, and no others): switched on by mistake against a
real shop, it would let anyone sign in as that shop's first customers.
"""

from __future__ import annotations

import logging
from typing import Dict, List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopassist.auth import customer_token
from shopassist.settings import get_settings
from shopassist.store import seed
from shopassist.store.identifiers import normalise_email
from shopassist.store.models import Customer

logger = logging.getLogger(__name__)
DEMO_CUSTOMERS = 6


class NotDemoData(RuntimeError):
    pass


def _check_demo_data(session: Session) -> None:
    """Raises NotDemoData unless every customer is one the demo seed makes."""
    count = session.execute(select(func.count(Customer.id))).scalar_one()
    if count <= seed.CUSTOMER_COUNT:
        rows = session.execute(select(Customer.email).order_by(Customer.id)).scalars().all()
        firsts = [email for email, _, _ in seed.DEMO_CUSTOMERS]
        domains = set(seed.DOMAINS)
        if rows[: len(firsts)] == firsts and all(e.rsplit("@", 1)[-1] in domains for e in rows):
            return
    logger.error("demo sign-in refused: the database holds more than the demo data")
    raise NotDemoData("demo sign-in works only on the demo database")


def enabled() -> bool:
    return bool(get_settings().demo_login) and customer_token.configured()


def customers(session: Session) -> List[Dict[str, str]]:
    if not enabled():
        return []
    try:
        _check_demo_data(session)
    except NotDemoData:
        return []
    rows = session.execute(
        select(Customer.name, Customer.email).order_by(Customer.id).limit(DEMO_CUSTOMERS)
    ).all()
    return [{"name": name, "email": email} for name, email in rows]


def log_in(session: Session, email: str) -> Optional[Dict[str, str]]:
    """A token for a demo customer; raises NotDemoData on any other database."""
    _check_demo_data(session)
    address = normalise_email(email or "")
    allowed = {c["email"]: c["name"] for c in customers(session)}
    if address not in allowed:
        return None
    return {"token": customer_token.issue(address), "email": address, "name": allowed[address]}
