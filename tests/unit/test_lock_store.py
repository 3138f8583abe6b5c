"""The atomic Redis lock store: one message of a conversation at a time across servers."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest
import redis
from rasa.core.lock_store import LockError
from rasa.utils.endpoints import EndpointConfig

from shopassist.lock_store import AtomicRedisLockStore

REDIS = {"host": "127.0.0.1", "port": 6379, "db": 1}


@pytest.fixture()
def prefix():
    try:
        redis.StrictRedis(**REDIS).ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis at 127.0.0.1:6379 is needed for the lock store tests: {error}")
    name = f"t{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.StrictRedis(**REDIS)
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)


def test_built_from_endpoints_yml_as_rasa_builds_it(prefix):
    config = EndpointConfig(
        url="127.0.0.1", type="shopassist.lock_store.AtomicRedisLockStore", port=6379,
        db=1, key_prefix=prefix,
    )  # fmt: skip
    from rasa.core.lock_store import LockStore

    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix.startswith(prefix)


def test_two_servers_taking_one_conversation_at_once_never_overlap(prefix):
    """Two stores (two Rasa servers) in two threads, each handling 25 messages of the same
    conversation; each message reads a counter, waits and writes it back, as a turn reads
    and saves its tracker. A lost update or a LockError is a lost message."""
    conversation = "customer-1"
    state = {"counter": 0, "inside": 0, "overlaps": 0}
    errors = []

    async def handle(store: AtomicRedisLockStore) -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.002):
            state["inside"] += 1
            state["overlaps"] += state["inside"] > 1
            seen = state["counter"]
            await asyncio.sleep(0.001)
            state["counter"] = seen + 1
            state["inside"] -= 1

    def server() -> None:
        store = AtomicRedisLockStore(**REDIS, key_prefix=prefix)

        async def messages() -> None:
            for _ in range(25):
                await handle(store)

        try:
            asyncio.run(messages())
        except Exception as error:  # noqa: BLE001 - the test reports every failure
            errors.append(error)

    threads = [threading.Thread(target=server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert state["overlaps"] == 0
    assert state["counter"] == 50
    # The last one out removed the lock: nothing is left behind in Redis.
    assert AtomicRedisLockStore(**REDIS, key_prefix=prefix).get_lock(conversation) is None


def test_a_ticket_issued_while_another_is_released_keeps_the_lock(prefix):
    store = AtomicRedisLockStore(**REDIS, key_prefix=prefix)
    first = store.issue_ticket("c")
    second = store.issue_ticket("c")
    store.cleanup("c", first)  # someone still waits: the lock stays, the second is served
    lock = store.get_lock("c")
    assert lock is not None and not lock.is_locked(second)
    store.cleanup("c", second)
    assert store.get_lock("c") is None


def test_an_unreachable_redis_is_a_lock_error():
    store = AtomicRedisLockStore(host="127.0.0.1", port=1, socket_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(LockError):
        store.issue_ticket("c")
    assert time.monotonic() - started < 10
