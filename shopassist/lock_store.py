"""Rasa's Redis lock store, with every change of a conversation's lock made atomically.

Rasa 3.6's RedisLockStore changes a lock by reading it, changing it in Python and writing
it back. Two Rasa servers taking messages of one conversation at once can interleave
those steps: both issue themselves ticket 0 of a new lock and answer side by side, or one
server's clean-up deletes the lock just after the other took a ticket, and the other then
fails with "Could not acquire lock" (its customer got an apology and the message was never
stored). Here each change runs under Redis WATCH/MULTI: a change based on a lock that
another server changed meanwhile is retried on the new lock.

Use it in endpoints.yml as `type: shopassist.lock_store.AtomicRedisLockStore` with the
keys of Rasa's `redis` lock store (url, port, password, db, key_prefix, ...).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 100  # a change retried this often means Redis is overwhelmed: fail loudly


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # built by Rasa from endpoints.yml
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
            kwargs.pop("type", None)
        super().__init__(**kwargs)

    def _change(
        self, conversation_id: str, change: Callable[[Optional[TicketLock]], Optional[TicketLock]]
    ) -> Optional[TicketLock]:
        """Applies `change` to the stored lock atomically; a returned None deletes it."""
        from redis.exceptions import WatchError

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            for _ in range(MAX_ATTEMPTS):
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    changed = change(lock)
                    pipe.multi()
                    if changed is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, changed.dumps())
                    pipe.execute()
                    return changed
                except WatchError:
                    continue  # another server changed the lock first: redo on the new one
        raise LockError(f"Could not change the lock of conversation '{conversation_id}'.")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        issued = {}

        def add_ticket(lock: Optional[TicketLock]) -> TicketLock:
            lock = lock or self.create_lock(conversation_id)
            issued["ticket"] = lock.issue_ticket(lock_lifetime)
            return lock

        try:
            self._change(conversation_id, add_ticket)
        except LockError:
            raise
        except Exception as error:  # Rasa's contract: lock problems are LockErrors
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return issued["ticket"]

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Optional[TicketLock]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock

        if self.get_lock(conversation_id) is not None:
            self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._release(conversation_id, ticket_number, delete_when_idle=False)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # One step, so no ticket issued between "nobody waits" and the delete is lost.
        self._release(conversation_id, ticket_number, delete_when_idle=True)

    def _release(self, conversation_id: str, ticket_number: int, delete_when_idle: bool) -> None:
        def remove(lock: Optional[TicketLock]) -> Optional[TicketLock]:
            if lock is None:
                return None
            lock.remove_ticket_for(ticket_number)
            if delete_when_idle and not lock.is_someone_waiting():
                return None
            return lock

        self._change(conversation_id, remove)
