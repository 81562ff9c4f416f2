"""The Redis cache backend (newsroom/cache.py): one client per connection pool, and a Redis that
hangs costs one time-out per retry interval, not one per cache call.

These two behaviours are why the backend is ours rather than django-redis, whose
IGNORE_EXCEPTIONS waits out the time-out on every call (docs/architecture.md).
"""

import socket
import time

import pytest

from newsroom import cache as newsroom_cache

TIMEOUT = 0.2


@pytest.fixture
def hanging_redis():
    """An address that takes connections and never answers: what a stopped (SIGSTOP) or
    overloaded Redis looks like from a worker."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # never accepted: the kernel completes the handshakes, nothing replies
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()


def backend_at(url):
    return newsroom_cache.RedisCache(
        url, {"OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT}}
    )


def timed(call):
    start = time.perf_counter()  # the test moves time.monotonic, the backend's clock
    result = call()
    return result, time.perf_counter() - start


def test_the_backend_keeps_one_redis_client_per_connection_pool():
    backend = backend_at("redis://127.0.0.1:1/0")
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is backend._cache.get_client(write=True)


def test_a_hanging_redis_costs_one_time_out_per_retry_interval(hanging_redis, monkeypatch):
    backend = backend_at(hanging_redis)
    backend._cache.policy_checked = True  # the once-per-process policy check is not measured
    value, waited = timed(lambda: backend.get("newsroom:page:x", "miss"))
    assert value == "miss"
    assert waited >= TIMEOUT * 0.9

    def many_calls():
        for _ in range(50):
            assert backend.get("newsroom:page:x") is None
            backend.set("newsroom:page:x", b"page", 30)
        return backend.get_many(["a", "b"])

    found, waited = timed(many_calls)
    assert found == {}
    assert waited < TIMEOUT  # not one of the 101 calls waited for Redis

    later = time.monotonic() + newsroom_cache.RETRY_AFTER_SECONDS + 0.1
    monkeypatch.setattr(newsroom_cache.time, "monotonic", lambda: later)
    value, waited = timed(lambda: backend.get("newsroom:page:x", "miss"))
    assert value == "miss"  # tried Redis again, and waited for it once more
    assert waited >= TIMEOUT * 0.9
