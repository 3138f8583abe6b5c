"""The audit log: one row per change made through the assistant, in the change's transaction."""

from __future__ import annotations

import json
from typing import Any, Dict

from sqlalchemy.orm import Session

from shopassist import clock
from shopassist.store.models import AuditLog


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    details: Dict[str, Any],
) -> None:
    session.add(
        AuditLog(
            at=clock.now(),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            details=json.dumps(details, sort_keys=True, default=str),
        )
    )
