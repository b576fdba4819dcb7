from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from townsquare.ratelimits.tests.support import REDIS_URL, FakeClock
from townsquare.testing.services import unavailable


def redis_problem(url: str) -> str | None:
    """None when Redis at `url` answers, else why not."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"{type(error).__name__}: {error}"
    finally:
        client.close()
    return None


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on the loopback Redis; its keys go afterwards."""
    import redis

    problem = redis_problem(REDIS_URL)
    if problem:
        unavailable(f"Redis is not reachable at {REDIS_URL} ({problem})")
    prefix = f"townsquare-test-ratelimit-{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    stale = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if stale:
        client.delete(*stale)
    client.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["db", pytest.param("redis", marks=pytest.mark.services)])
def backend(request, clock):
    """Each backend against its real store, on the test's clock."""
    if request.param == "db":
        request.getfixturevalue("db")
        from townsquare.ratelimits.db_backend import DatabaseBackend

        return DatabaseBackend(clock=clock)
    from townsquare.ratelimits.redis_backend import RedisBackend

    return RedisBackend(REDIS_URL, prefix=request.getfixturevalue("redis_prefix"), clock=clock)
