"""The Redis cache backend keeps one client per connection pool instead of building one per call."""

from django.core.cache import cache, caches

from portal.cache import RedisCache


def test_the_cache_is_ours_and_reuses_its_client():
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    assert backend._cache.get_client() is backend._cache.get_client(write=True)


def test_values_go_in_and_out():
    cache.set("test-cache-backend", {"a": 1}, 30)
    assert cache.get("test-cache-backend") == {"a": 1}
    assert cache.add("test-cache-backend-n", 1, 30)
    assert cache.incr("test-cache-backend-n") == 2
    cache.delete_many(["test-cache-backend", "test-cache-backend-n"])
    assert cache.get("test-cache-backend") is None
