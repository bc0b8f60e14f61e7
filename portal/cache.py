"""Django's Redis cache backend, keeping one client per connection pool.

Django builds a new ``redis.Redis`` for every cache call, and redis-py sets up its table of some 170
response callbacks in each: a tenth of a millisecond or more per call, several calls per request
(rate limits, cached pages). One client per pool is enough: it is thread-safe and takes a connection
from the pool for each command.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
