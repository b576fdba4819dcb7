"""Both backends against their real stores (the test database, the loopback Redis)."""

from __future__ import annotations

import random

import pytest
from django.db import transaction

from townsquare.ratelimits.models import RateWindow
from townsquare.ratelimits.tests.support import REDIS_URL, FakeClock, MemoryModel
from townsquare.ratelimits.window import Rate

RATES = [Rate(5, 60), Rate(3, 60), Rate(8, 90), Rate(4, 45)]


@pytest.mark.parametrize("seed", range(3))
def test_a_backend_answers_exactly_like_the_algorithm_call_for_call(backend, clock, seed):
    rng = random.Random(seed)
    model = MemoryModel(FakeClock(clock.now))
    rate_of = {key: rng.choice(RATES) for key in "abc"}
    answers = []
    for step in range(250):
        roll = rng.random()
        if roll < 0.05:
            # A configuration change: the key's next request comes with another rate.
            rate_of[rng.choice("abc")] = rng.choice(RATES)
            continue
        if roll < 0.1:
            key, until = rng.choice("abc"), clock.now + rng.uniform(0, 30)
            backend.penalise(key, until)
            model.penalise(key, until)
            continue
        keys = rng.sample("abc", rng.choice([1, 1, 2, 3]))
        limits = [(key, rate_of[key]) for key in keys]
        cost = rng.choice([1, 1, 1, 2, 3])
        expected = model.acquire_all(limits, cost=cost)
        assert backend.acquire_all(limits, cost=cost) == expected, f"step {step}"
        answers.append(expected)
        clock.advance(rng.choice([0, 0, rng.uniform(0, 3), rng.uniform(0, 20)]))
        model.clock.now = clock.now
    # The scenario exercised both answers, not only one of them.
    assert 0.0 in answers
    assert any(answer > 0 for answer in answers)


def test_a_burst_waits_instead_of_failing(backend, clock):
    rate = Rate(3, 60)
    assert [backend.acquire_all([("x:account:42", rate)]) for _ in range(3)] == [0.0] * 3
    wait = backend.acquire_all([("x:account:42", rate)])
    assert 60 <= wait <= 61
    clock.advance(wait)
    assert backend.acquire_all([("x:account:42", rate)]) == 0.0


def test_every_key_has_its_own_window(backend):
    rate = Rate(1, 60)
    assert backend.acquire_all([("x:account:1", rate)]) == 0.0
    assert backend.acquire_all([("x:account:1", rate)]) > 0
    assert backend.acquire_all([("x:account:2", rate)]) == 0.0


def test_a_penalty_blocks_the_key_until_the_reset_the_network_gave(backend, clock):
    rate = Rate(100, 60)
    backend.penalise("bluesky:global", clock.now + 42)
    assert backend.acquire_all([("bluesky:global", rate)]) == 42.0
    assert backend.acquire_all([("bluesky:account:7", rate), ("bluesky:global", rate)]) == 42.0
    assert backend.acquire_all([("bluesky:account:7", rate)]) == 0.0
    backend.penalise("bluesky:global", clock.now + 5)  # an earlier reset does not shorten it
    clock.advance(41.5)
    assert backend.acquire_all([("bluesky:global", rate)]) == 0.5
    clock.advance(0.5)
    assert backend.acquire_all([("bluesky:global", rate)]) == 0.0


def test_several_windows_are_taken_all_or_nothing(backend):
    account, app = Rate(5, 60), Rate(2, 60)
    assert backend.acquire_all([("x:account:1", account), ("x:global", app)]) == 0.0
    assert backend.acquire_all([("x:account:2", account), ("x:global", app)]) == 0.0
    assert backend.acquire_all([("x:account:1", account), ("x:global", app)]) > 0
    # Account 1 still has four units: the refused request took none of them.
    for _ in range(4):
        assert backend.acquire_all([("x:account:1", account)]) == 0.0
    assert backend.acquire_all([("x:account:1", account)]) > 0


def test_a_request_that_can_never_be_granted_is_refused_before_reaching_the_store(backend):
    with pytest.raises(ValueError, match="never fit"):
        backend.acquire_all([("k", Rate(2, 60))], cost=3)
    with pytest.raises(ValueError, match="once per request"):
        backend.acquire_all([("k", Rate(2, 60)), ("k", Rate(5, 600))])


# --- the database backend -------------------------------------------------------------


def test_the_database_backend_keeps_one_row_per_key_with_the_recent_slots_only(db, clock):
    from townsquare.ratelimits.db_backend import DatabaseBackend

    backend = DatabaseBackend(clock=clock)
    rate = Rate(10, 60)
    for _ in range(4):
        backend.acquire_all([("x:account:1", rate)])
        clock.advance(20)
    row = RateWindow.objects.get(key="x:account:1")
    assert row.slot_ms == 1000
    assert sum(row.counts.values()) == 4
    clock.advance(200)
    backend.acquire_all([("x:account:1", rate)])
    row.refresh_from_db()
    assert list(row.counts.values()) == [1]
    assert RateWindow.objects.count() == 1


def test_the_database_backend_refuses_to_count_inside_a_callers_transaction(transactional_db):
    # A rollback there would undo grants whose posts were already sent.
    from townsquare.ratelimits.db_backend import DatabaseBackend

    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        DatabaseBackend().acquire_all([("k", Rate(1, 1))])
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        DatabaseBackend().penalise("k", 0)


def test_purge_deletes_only_the_rows_that_no_longer_matter(db, clock):
    from townsquare.ratelimits.db_backend import DatabaseBackend

    backend = DatabaseBackend(clock=clock)
    backend.acquire_all([("short", Rate(1, 1))])
    backend.acquire_all([("long", Rate(1, 3600))])
    backend.penalise("blocked", clock.now + 30)
    clock.advance(10)
    assert backend.purge() == 1
    assert set(RateWindow.objects.values_list("key", flat=True)) == {"long", "blocked"}
    clock.advance(3 * 3600)
    assert backend.purge() == 2


# --- the Redis backend ----------------------------------------------------------------


@pytest.mark.services
def test_redis_keys_carry_the_prefix_and_expire_by_themselves(redis_prefix, clock):
    import redis

    from townsquare.ratelimits.redis_backend import RedisBackend

    backend = RedisBackend(REDIS_URL, prefix=redis_prefix, clock=clock)
    backend.acquire_all([("x:account:1", Rate(10, 60))])
    backend.penalise("x:global", clock.now + 300)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        # Newest slot's end + two periods (see window.expires_at_ms).
        assert 119_000 < client.pttl(f"{redis_prefix}x:account:1") <= 121_000
        assert 299_000 < client.pttl(f"{redis_prefix}x:global") <= 300_000
        # A short penalty does not cut short the life of a key with longer-lived slots.
        backend.penalise("x:account:1", clock.now + 5)
        assert client.pttl(f"{redis_prefix}x:account:1") > 110_000
    finally:
        client.close()
