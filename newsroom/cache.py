"""Django's Redis cache backend, keeping one client per connection pool."""

from django.core.cache.backends import redis


class ReusingRedisCacheClient(redis.RedisCacheClient):
    """Django builds a new redis.Redis object for every cache call, which costs about as much
    as the round trip itself: a third of serving a cached page. One client per pool will do
    (a client holds no connection of its own and is safe to share between threads)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
