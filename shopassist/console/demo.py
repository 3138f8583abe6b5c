"""The shop page's demo sign-in: pick a demo customer, get a signed customer token.

A real shop signs the token in its own login flow; here the page stands in for it. Anyone
who can open the page can sign in as a demo customer, so it is opt-in: on only with
SHOPASSIST_DEMO_LOGIN=1 and a token secret (`make run` sets both, the secret new each run).
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopassist.auth import customer_token
from shopassist.store.identifiers import normalise_email
from shopassist.store.models import Customer

DEMO_CUSTOMERS = 6


def enabled() -> bool:
    return os.environ.get("SHOPASSIST_DEMO_LOGIN") == "1" and customer_token.configured()


def customers(session: Session) -> List[Dict[str, str]]:
    if not enabled():
        return []
    rows = session.execute(
        select(Customer.name, Customer.email).order_by(Customer.id).limit(DEMO_CUSTOMERS)
    ).all()
    return [{"name": name, "email": email} for name, email in rows]


def log_in(session: Session, email: str) -> Optional[Dict[str, str]]:
    address = normalise_email(email or "")
    allowed = {c["email"]: c["name"] for c in customers(session)}
    if address not in allowed:
        return None
    return {"token": customer_token.issue(address), "email": address, "name": allowed[address]}
