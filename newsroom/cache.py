"""Django's Redis cache backend, cheaper per call and harmless when Redis is away.

Redis is only a cache here: when it cannot be reached, every read is a miss and every write is
dropped, so pages are built from the database instead of failing (docs/operations.md, "Faults").
After a failure Redis is left alone for a moment, so that a Redis that hangs costs one time-out now
and then rather than one per cache call (which is what django-redis' IGNORE_EXCEPTIONS does;
docs/architecture.md).

The same Redis also keeps what must not be lost while it runs: views waiting to be counted
(popularity/counting.py) and the content versions (newsroom/pagecache.py), all without a time
limit, whereas every page and fragment entry has one. With `maxmemory-policy volatile-lru` (or
`volatile-ttl`) a full Redis evicts only entries with a time limit; an `allkeys-*` policy may
evict the views and versions, so each process warns once if it finds one.
"""

import functools
import logging
import time

import redis as redis_py
from django.core.cache.backends import redis

logger = logging.getLogger(__name__)

# After a failed call, leave Redis alone this long: requests in an outage then wait for no
# time-outs, and Redis is tried again soon after it is back.
RETRY_AFTER_SECONDS = 1.0


def warn_if_state_can_be_evicted(client):
    """Log a warning if Redis may evict keys that have no time limit (see the module's
    docstring). Says nothing when Redis cannot be asked: managed services often refuse CONFIG,
    and a Redis that is away is reported elsewhere."""
    try:
        policy = client.config_get("maxmemory-policy").get("maxmemory-policy", "")
    except redis_py.RedisError:
        return None
    if isinstance(policy, bytes):
        policy = policy.decode()
    if policy.startswith("allkeys-"):
        logger.warning(
            "Redis maxmemory-policy is %s: when memory is full it may evict views waiting to be "
            "counted and the content versions. Set it to volatile-lru (page entries always "
            "expire; the rest must stay).",
            policy,
        )
    return policy


def when_unreachable(fallback):
    """Answer `fallback(*args)` instead of raising when Redis cannot be reached."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if self.unreachable_until > time.monotonic():
                return fallback(*args)
            try:
                result = method(self, *args, **kwargs)
            except redis_py.RedisError as error:
                if not self.unreachable_until:
                    logger.warning("Redis cache unreachable, serving without it: %s", error)
                self.unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
                return fallback(*args)
            if self.unreachable_until:
                logger.warning("Redis cache reachable again.")
                self.unreachable_until = 0
            return result

        return call

    return decorate


class TolerantRedisCacheClient(redis.RedisCacheClient):
    """One client per connection pool (Django builds a new redis.Redis object for every call,
    which costs about as much as the round trip itself), and misses instead of errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self.unreachable_until = 0
        self.policy_checked = False

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        if not self.policy_checked:
            self.policy_checked = True
            warn_if_state_can_be_evicted(client)
        return client

    get = when_unreachable(lambda key, default: default)(redis.RedisCacheClient.get)
    get_many = when_unreachable(lambda keys: {})(redis.RedisCacheClient.get_many)
    has_key = when_unreachable(lambda key: False)(redis.RedisCacheClient.has_key)
    add = when_unreachable(lambda *args: False)(redis.RedisCacheClient.add)
    set = when_unreachable(lambda *args: None)(redis.RedisCacheClient.set)
    set_many = when_unreachable(lambda *args: None)(redis.RedisCacheClient.set_many)
    touch = when_unreachable(lambda *args: False)(redis.RedisCacheClient.touch)
    incr = when_unreachable(lambda *args: None)(redis.RedisCacheClient.incr)
    delete = when_unreachable(lambda key: False)(redis.RedisCacheClient.delete)
    delete_many = when_unreachable(lambda keys: None)(redis.RedisCacheClient.delete_many)
    clear = when_unreachable(lambda: False)(redis.RedisCacheClient.clear)


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
