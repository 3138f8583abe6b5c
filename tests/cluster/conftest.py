"""A production-shaped cluster on loopback, once for the cluster tests.

Two Rasa servers and two action servers behind HAProxy, conversations in PostgreSQL, locks
in Redis, events to RabbitMQ (shopassist/cluster.py, as `make run-cluster` starts it), with
databases, a lock prefix and an event queue of the tests' own, removed afterwards.
"""

from __future__ import annotations

import uuid
from typing import Dict, List

import pytest
import requests

from shopassist.cluster import Cluster, create_database, drop_database, free_port
from tests.conftest import ANCHOR, PG_ADMIN_URL
from tests.servers import current_model

pytestmark = pytest.mark.integration


@pytest.fixture(scope="package")
def cluster(tmp_path_factory):
    from shopassist.store.db import get_engine
    from shopassist.store.manage import ensure

    suffix = uuid.uuid4().hex[:8]
    names = [f"shopassist_cluster_trackers_{suffix}", f"shopassist_cluster_shop_{suffix}"]
    tracker_db, shop_db = (create_database(PG_ADMIN_URL, name) for name in names)
    ensure(shop_db, anchor=ANCHOR)
    cluster = Cluster(
        workdir=tmp_path_factory.mktemp("cluster"),
        model=current_model(),
        tracker_db=tracker_db,
        shop_db=shop_db,
        console_port=free_port(),  # the review console, production settings (no demo login)
        # every test conversation comes from 127.0.0.1: no limit on new ones per address
        extra_env={
            "SHOPASSIST_NEW_CONVERSATIONS_PER_MINUTE": "0",
            "SHOPASSIST_IDENTITY_FAILURES_PER_CLIENT": "1000",  # every client is 127.0.0.1
            "SHOPASSIST_IDENTITY_FREE_FAILURES_PER_TARGET": "1000",  # shared demo orders
        },
    )
    try:
        with cluster:
            yield cluster
    finally:
        get_engine(shop_db).dispose()
        for name in names:
            drop_database(PG_ADMIN_URL, name)
        _delete_queue(cluster.event_queue)


def _delete_queue(name: str) -> None:
    import asyncio

    import aio_pika

    async def delete() -> None:
        connection = await aio_pika.connect_robust("amqp://guest:guest@127.0.0.1/")
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(name)

    asyncio.run(delete())


def queued_events(name: str) -> int:
    """How many events wait in the broker's queue `name`."""
    import asyncio

    import aio_pika

    async def count() -> int:
        connection = await aio_pika.connect_robust("amqp://guest:guest@127.0.0.1/")
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue(name, passive=True)
            return queue.declaration_result.message_count

    return asyncio.run(count())


@pytest.fixture(scope="package")
def customers(cluster) -> List[Dict[str, str]]:
    """Every seeded customer with one of their orders: {"email", "order"}."""
    from shopassist.store.db import session_scope
    from shopassist.store.models import Customer

    with session_scope(cluster.shop_db) as session:
        rows = session.query(Customer).order_by(Customer.id).all()
        return [{"email": c.email, "order": str(c.orders[0].id)} for c in rows if c.orders]


def send(cluster: Cluster, sender: str, text: str, session=requests) -> list:
    """One turn through the proxy; the replies (fails on any HTTP error)."""
    response = session.post(
        f"{cluster.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=120,
    )
    assert response.status_code == 200, (response.status_code, response.text[:500])
    return response.json()


def user_texts(cluster: Cluster, sender: str) -> List[str]:
    """The customer's messages as the tracker store holds them, in order (every row: Rasa's
    API shows a long conversation's recent turns only)."""
    import json

    from sqlalchemy import create_engine, text

    engine = create_engine(cluster.tracker_db, future=True)
    try:
        with engine.connect() as connection:
            query = (
                "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"
            )
            rows = connection.execute(text(query), {"s": "rest:" + sender})  # REST's prefix
            return [json.loads(data)["text"] for (data,) in rows]
    finally:
        engine.dispose()
