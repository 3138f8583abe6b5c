"""A change the customer has been offered and is asked to confirm, and carrying it out.

The assistant first describes the change and asks "shall I?"; only a "yes" applies it. In
between, the change waits in the `pending_change` slot as a dict (`as_dict`; read back
through shopassist/dialogue/slot_values.py). Applying it goes through the same services (and
so the same policy checks, locks and audit) as any other caller: the slot says what the
customer agreed to, never what is allowed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Dict, Optional

from sqlalchemy.orm import Session

from shopassist.store import changes, item_changes
from shopassist.store.changes import Outcome

KINDS = (
    "cancel_order",
    "cancel_item",
    "change_item",
    "change_address",
    "start_return",
    "lost_parcel_refund",
)


@dataclass(frozen=True)
class ChangeRequest:
    kind: str
    order_id: str
    request_key: str  # the same confirmation applied twice changes things once
    params: Dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Optional[ChangeRequest]:
        """The request `data` describes, or None if it is not one (a slot can hold anything)."""
        try:
            request = cls(
                kind=str(data["kind"]),
                order_id=str(data["order_id"]),
                request_key=str(data["request_key"]),
                params=dict(data.get("params") or {}),
            )
        except (TypeError, ValueError, KeyError, AttributeError):
            return None
        return request if request.kind in KINDS else None


def apply(session: Session, request: ChangeRequest, actor: str, today: date) -> Outcome:
    """Carries out the request in the caller's transaction, through the policy-checked services."""
    p = request.params
    if request.kind == "cancel_order":
        return changes.cancel_order(session, request.order_id, actor)
    if request.kind == "cancel_item":
        return item_changes.cancel_item(session, request.order_id, int(p["item_id"]), actor)
    if request.kind == "change_item":
        return item_changes.change_item(
            session,
            request.order_id,
            int(p["item_id"]),
            actor,
            quantity=p.get("quantity"),
            colour=p.get("colour"),
            size=p.get("size"),
        )
    if request.kind == "change_address":
        return item_changes.change_address(
            session,
            request.order_id,
            p["line1"],
            p["city"],
            p["postcode"],
            p["country"],
            actor,
        )
    if request.kind == "start_return":
        return changes.start_return(
            session,
            request.order_id,
            {int(k): int(v) for k, v in p["quantities"].items()},
            p["reason"],
            p["condition"],
            request.request_key,
            actor,
            today,
        )
    return changes.request_lost_parcel_refund(session, request.order_id, actor, today)
