"""The flushing Pika broker: what `rasa export` publishes reaches RabbitMQ before it closes."""

import asyncio
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from shopassist.event_broker import FlushingPikaEventBroker
from tests.cluster.conftest import _delete_queue, queued_events


def test_events_published_just_before_closing_all_arrive():
    queue = f"shopassist_broker_test_{uuid.uuid4().hex[:8]}"
    config = EndpointConfig(
        url="127.0.0.1", username="guest", password="guest", queues=[queue],
        type="shopassist.event_broker.FlushingPikaEventBroker",
    )  # fmt: skip

    async def publish_then_close():
        from rasa.core.brokers.broker import EventBroker

        broker = await EventBroker.create(config)
        assert isinstance(broker, FlushingPikaEventBroker)
        for i in range(50):
            broker.publish({"event": "user", "text": f"message {i}", "timestamp": i})
        await broker.close()  # as `rasa export` does, right after publishing

    try:
        try:
            asyncio.run(publish_then_close())
        except ConnectionError as error:
            pytest.fail(f"RabbitMQ at 127.0.0.1:5672 is needed for this test: {error}")
        assert queued_events(queue) == 50
    finally:
        _delete_queue(queue)
