"""config.cache: Django's Redis cache with one client per server, made once and used by every call."""

import environ

from config.cache import RedisCache


def test_a_redis_cache_url_gets_the_backend_that_keeps_its_client():
    settings = environ.Env.cache_url_config("redis://127.0.0.1:6379/13")
    assert settings["BACKEND"] == "django.core.cache.backends.redis.RedisCache"  # what settings.py replaces


def test_each_server_has_one_client_on_its_pool():
    cache = RedisCache("redis://127.0.0.1:1/0,redis://127.0.0.1:2/0", {})  # nothing is connected until a command
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert client.connection_pool.connection_kwargs["port"] == 1  # writes go to the first server
    reader = cache._cache.get_client()  # reads to the others
    assert reader is cache._cache.get_client() and reader is not client
    assert reader.connection_pool.connection_kwargs["port"] == 2
    assert reader.connection_pool is cache._cache._get_connection_pool(write=False)  # Django's own pool
