"""Per-network rate limits shared by every worker: the public API.

    wait = acquire("x:account:42", Rate(100, 900))
    if wait:                      # nothing was taken; try again in `wait` seconds
        raise RetryLater(wait)

    wait = acquire_for_publish("bluesky", account.pk)   # every default window of it
    penalise("x:account:42", reset_epoch)       # the network said 429 until then

A burst beyond the rate is not an error: callers learn how long to wait and come back
(or use wait_and_acquire() to sleep in place). The windows live where every worker sees
them: the main database by default (RATE_LIMIT_BACKEND=db, the embedded mode) or Redis
(RATE_LIMIT_BACKEND=redis with RATE_LIMIT_REDIS_URL, at scale). Both implement the
sliding window of window.py and give the same answers.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from django.conf import settings
from django.core.signals import setting_changed

from townsquare.ratelimits.defaults import DEFAULT_RATES, limit_keys
from townsquare.ratelimits.window import Rate

__all__ = [
    "Backend",
    "Rate",
    "acquire",
    "acquire_all",
    "acquire_for_publish",
    "get_backend",
    "limits_for",
    "penalise",
    "rates_for",
    "wait_and_acquire",
]


class Backend(Protocol):
    name: str

    def acquire_all(
        self, limits: Sequence[tuple[str, Rate]], now: float | None = None, cost: int = 1
    ) -> float: ...

    def penalise(self, key: str, until_epoch: float) -> None: ...

    def purge(self, now: float | None = None) -> int: ...


@functools.cache
def get_backend() -> Backend:
    """The configured backend, built once per process (and again when tests change the
    settings)."""
    if settings.RATE_LIMIT_BACKEND == "redis":
        from townsquare.ratelimits.redis_backend import RedisBackend

        return RedisBackend(settings.RATE_LIMIT_REDIS_URL)
    from townsquare.ratelimits.db_backend import DatabaseBackend

    return DatabaseBackend()


def _forget_backend(*, setting: str, **kwargs: object) -> None:
    if setting in {"RATE_LIMIT_BACKEND", "RATE_LIMIT_REDIS_URL"}:
        get_backend.cache_clear()


setting_changed.connect(_forget_backend)


def acquire(key: str, rate: Rate, now: float | None = None, *, cost: int = 1) -> float:
    """Take `cost` units (default one) of `key`'s window: 0.0 when taken, else the
    seconds to wait before trying again (and nothing was taken)."""
    return get_backend().acquire_all([(key, rate)], now, cost)


def acquire_all(
    limits: Sequence[tuple[str, Rate]], now: float | None = None, *, cost: int = 1
) -> float:
    """Like acquire() over several windows at once, all or nothing: a post must fit the
    account's window and the app's. Taking them one by one would spend the account's
    units on every attempt the app's window refuses."""
    return get_backend().acquire_all(list(limits), now, cost)


def penalise(key: str, until_epoch: float) -> None:
    """Grant nothing for `key` before `until_epoch` (the reset a 429 announced), in every
    worker. A block is only ever lengthened."""
    get_backend().penalise(key, until_epoch)


def rates_for(network: str) -> list[tuple[str, Rate]]:
    """The (scope, Rate) pairs in force for `network` (see defaults.py)."""
    overrides: dict[str, list[tuple[str, Rate]]] = getattr(settings, "RATE_LIMIT_RATES", {})
    if network in overrides:
        return list(overrides[network])
    try:
        return list(DEFAULT_RATES[network])
    except KeyError:
        raise LookupError(f"no rate limits are defined for network {network!r}") from None


def limits_for(network: str, account_id: object) -> list[tuple[str, Rate]]:
    """(key, Rate) pairs of one account of `network`: its own windows and the global ones."""
    return limit_keys(network, account_id, rates_for(network))


def acquire_for_publish(
    network: str, account_id: object, now: float | None = None, *, cost: int = 1
) -> float:
    """acquire_all() over every window of one account of `network`, for `cost` posts
    (one per post created: a thread of three is three, or three calls of one each - a
    cost above a window's limit can never be granted and raises ValueError)."""
    return acquire_all(limits_for(network, account_id), now, cost=cost)


def wait_and_acquire(
    limits: Sequence[tuple[str, Rate]],
    *,
    timeout: float,
    cost: int = 1,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> float:
    """Sleep until the windows have room and take it. Returns the remaining wait (> 0,
    nothing taken) when that would take longer than `timeout` seconds, else 0.0.

    For callers that may block (a command, a short burst inside one task); a task with a
    lease should rather hand the wait back to its scheduler.
    """
    deadline = clock() + timeout
    while True:
        wait = acquire_all(limits, cost=cost)
        if not wait:
            return 0.0
        if clock() + wait > deadline:
            return wait
        # Workers told the same wait would all come back in the same millisecond and
        # queue on the same row; a little jitter spreads them out.
        sleep(wait + random.uniform(0, min(0.05, wait / 10)))
