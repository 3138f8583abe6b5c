"""Rasa's RabbitMQ (Pika) event broker, which sends everything it was given before closing.

Rasa 3.6's PikaEventBroker publishes each event in a background task and its `close()`
closes the connection without waiting for them: `rasa export` ("Successfully published 274
events") delivered none, and a server shutting down could drop its last events. Here
`close()` first waits for the events still being sent.

Use it in endpoints.yml as `type: shopassist.event_broker.FlushingPikaEventBroker` with the
keys of Rasa's `pika` broker (url, username, password, queues, ...).
"""

from __future__ import annotations

import asyncio
import logging

import rasa.shared.core.events  # noqa: F401 - PikaEventBroker._publish uses it unimported
from rasa.core.brokers.pika import PikaEventBroker

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 30.0  # at most this long for the last events before closing anyway


class FlushingPikaEventBroker(PikaEventBroker):
    async def close(self) -> None:
        pending = list(self._background_tasks)
        if pending:
            done, not_done = await asyncio.wait(pending, timeout=FLUSH_SECONDS)
            if not_done:
                logger.error("%d events were still unsent when the broker closed", len(not_done))
        await super().close()
