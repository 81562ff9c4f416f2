"""One Redis keeps pages, which may be evicted, and views waiting to be counted and the content
versions, which must not be: pages always expire, the rest never does, and an eviction policy
that ignores the difference (allkeys-*) is warned about."""

import logging

import pytest
import redis
from django.core.cache import cache

from newsroom import cache as newsroom_cache
from newsroom.pagecache import CATALOGUE_KEY, PAGE_TTL, VERSION_KEY, content_changed
from popularity import counting
from tests.articles.test_popularity import TEST_REDIS, require_redis


@pytest.fixture
def redis_cache(settings):
    """The page cache, the content versions and the views buffer in the test Redis."""
    require_redis()
    settings.PAGE_CACHE = True
    settings.REDIS_URL = TEST_REDIS
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": TEST_REDIS,
            "KEY_PREFIX": "newsroom",
        },
    }
    client = redis.Redis.from_url(TEST_REDIS)
    cache.clear()
    counting.view_buffer().clear()
    yield client
    cache.clear()
    counting.view_buffer().clear()


def test_in_redis_pages_expire_and_waiting_views_and_versions_never_do(
    client, make_article, redis_cache
):
    article = make_article()
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get(article.get_absolute_url())["X-Cache"] == "MISS"
    counting.record_view(article.pk)
    content_changed()
    pages = list(redis_cache.scan_iter(match="*:newsroom:page:*"))
    assert len(pages) == 2
    for key in pages:
        assert 0 < redis_cache.ttl(key) <= PAGE_TTL, key
    for key in (cache.make_key(VERSION_KEY), cache.make_key(CATALOGUE_KEY)):
        assert redis_cache.ttl(key) == -1, key  # -1: kept until deleted
    assert redis_cache.hlen(counting.RedisBuffer.PENDING) == 1
    assert redis_cache.ttl(counting.RedisBuffer.PENDING) == -1


class FakeRedis:
    """A Redis client that answers CONFIG GET with `policy` (or refuses it) and misses."""

    policy = "noeviction"
    asked = 0

    def __init__(self, connection_pool):
        pass

    def config_get(self, pattern):
        type(self).asked += 1
        if self.policy is None:
            raise redis.ResponseError("unknown command 'CONFIG'")
        return {"maxmemory-policy": self.policy}

    def get(self, key):
        return None


@pytest.mark.parametrize(
    "policy, warned",
    [
        ("allkeys-lru", True),
        ("allkeys-lfu", True),
        ("allkeys-random", True),
        ("volatile-lru", False),
        ("volatile-ttl", False),
        ("noeviction", False),
        (None, False),  # a managed Redis that refuses CONFIG
    ],
)
def test_a_policy_that_may_evict_views_and_versions_is_warned_about_once(
    policy, warned, monkeypatch, caplog
):
    monkeypatch.setattr(FakeRedis, "policy", policy)
    monkeypatch.setattr(FakeRedis, "asked", 0)
    backend = newsroom_cache.RedisCache("redis://127.0.0.1:6379/0", {})
    monkeypatch.setattr(backend._cache, "_client", FakeRedis)
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for _ in range(3):
            assert backend.get("newsroom:page:x") is None
    assert FakeRedis.asked == 1
    warnings = [record.getMessage() for record in caplog.records]
    assert bool(warnings) == warned
    if warned:
        assert policy in warnings[0] and "volatile-lru" in warnings[0]
