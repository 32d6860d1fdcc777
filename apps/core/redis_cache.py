# SPDX-License-Identifier: EUPL-1.2
"""Django's Redis cache with one client object per connection pool (``CACHE_URL=redis://…``).

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every operation, and each copies
redis-py's table of some 170 response callbacks: about 0.2 ms an operation, most of what a cache hit costs
(issue 9: a page answered from the cache asks Redis four times). The client is thread-safe and holds no
state beyond its pool, so one per pool is kept and reused. Everything else is Django's backend.

May import: Django.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # Django's, untyped in the stubs
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
