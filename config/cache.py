"""Django's Redis cache, with one client per server instead of one per call.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every cache call (each copies
the library's 170 reply handlers into a dict of its own: a tenth of a millisecond and more, several
times a page), though the client is only a front for the server's connection pool and safe to
share. Here each server's client is made once, on its pool, and used for every call after it.

    CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://…"}}

settings.py puts it in place of Django's whenever CACHE_URL names a Redis server.
"""

from __future__ import annotations

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._pool(index))
        return client

    def _pool(self, index: int):
        # Django's _get_connection_pool, for a given server (it picks a reading server at random).
        if index not in self._pools:
            self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return self._pools[index]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
