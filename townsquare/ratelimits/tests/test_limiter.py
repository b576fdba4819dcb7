"""The public API: default rates per network, keys, the backend the settings choose."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from townsquare.networks.catalog import NETWORK_NAMES
from townsquare.ratelimits import limiter
from townsquare.ratelimits.db_backend import DatabaseBackend
from townsquare.ratelimits.defaults import ACCOUNT, DEFAULT_RATES, SCOPES
from townsquare.ratelimits.limiter import (
    Rate,
    acquire,
    acquire_for_publish,
    get_backend,
    limits_for,
    penalise,
    rates_for,
    wait_and_acquire,
)
from townsquare.ratelimits.redis_backend import RedisBackend
from townsquare.ratelimits.tests.support import FakeClock, MemoryModel

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("network", sorted(NETWORK_NAMES))
def test_every_network_townsquare_knows_has_default_rates(network):
    rates = DEFAULT_RATES[network]
    assert rates
    assert {scope for scope, _ in rates} <= set(SCOPES)
    keys = [key for key, _ in limits_for(network, 42)]
    assert len(set(keys)) == len(keys)


def test_keys_name_the_network_the_scope_and_the_account():
    assert limits_for("x", 42) == [
        ("x:account:42", Rate(100, 900)),
        ("x:global", Rate(10_000, 86_400)),
    ]
    # A second window of the same scope gets its period appended; the first keeps its key.
    assert [key for key, _ in limits_for("bluesky", 7)] == [
        "bluesky:account:7",
        "bluesky:account:7:86400s",
        "bluesky:global",
    ]


def test_bluesky_allows_as_many_creates_as_its_write_points_pay_for():
    # 5,000 points per hour and 35,000 per day, 3 points per create.
    assert (ACCOUNT, Rate(5_000 // 3, 3600)) in DEFAULT_RATES["bluesky"]
    assert (ACCOUNT, Rate(35_000 // 3, 86_400)) in DEFAULT_RATES["bluesky"]


def test_a_network_without_rates_is_an_error_not_an_unlimited_network():
    with pytest.raises(LookupError, match="no rate limits"):
        rates_for("myspace")


def test_the_test_network_is_generous_unless_a_test_tightens_it(db, settings):
    assert all(rate.limit >= 1000 for _, rate in rates_for("testnet"))
    assert [acquire_for_publish("testnet", 1) for _ in range(20)] == [0.0] * 20
    settings.RATE_LIMIT_RATES = {"testnet": [(ACCOUNT, Rate(2, 60))]}
    assert acquire_for_publish("testnet", 2) == 0.0
    assert acquire_for_publish("testnet", 2) == 0.0
    assert acquire_for_publish("testnet", 2) > 0
    assert acquire_for_publish("testnet", 3) == 0.0  # another account, its own window


def test_the_module_functions_use_the_configured_backend(db):
    assert isinstance(get_backend(), DatabaseBackend)
    assert acquire("x:account:1", Rate(1, 60)) == 0.0
    assert acquire("x:account:1", Rate(1, 60)) > 0
    penalise("x:global", 4_102_444_800)  # 2100-01-01
    assert acquire("x:global", Rate(1, 60)) > 3600


def test_the_redis_backend_is_chosen_by_the_settings(settings):
    settings.RATE_LIMIT_BACKEND = "redis"
    settings.RATE_LIMIT_REDIS_URL = "redis://127.0.0.1:6379/5"
    backend = get_backend()
    assert isinstance(backend, RedisBackend)
    assert backend.client.connection_pool.connection_kwargs["db"] == 5
    settings.RATE_LIMIT_BACKEND = "db"
    assert isinstance(get_backend(), DatabaseBackend)


@pytest.fixture
def model(monkeypatch) -> MemoryModel:
    model = MemoryModel(FakeClock())
    monkeypatch.setattr(limiter, "get_backend", lambda: model)
    return model


def test_waiting_in_place_sleeps_until_there_is_room_and_takes_it(model):
    rate = Rate(2, 10)
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        model.clock.advance(seconds)

    limits = [("k", rate)]
    for _ in range(3):
        assert wait_and_acquire(limits, timeout=60, sleep=sleep, clock=model.clock) == 0.0
    assert len(slept) == 1
    assert 10 <= slept[0] <= 10 + 0.05 + 1
    assert sum(model.states["k"].counts.values()) == 3


def test_waiting_in_place_gives_up_when_the_wait_is_longer_than_the_timeout(model):
    model.penalise("k", model.clock.now + 120)
    slept: list[float] = []
    assert wait_and_acquire([("k", Rate(5, 1))], timeout=60, sleep=slept.append) == 120.0
    assert slept == []


def test_the_scheduler_sweeps_old_windows_now_and_then(monkeypatch):
    from townsquare.ratelimits import jobs
    from townsquare.runtime.scheduler import registered_jobs

    assert jobs.purge_rate_windows in registered_jobs()
    purged: list[bool] = []

    class Backend:
        def purge(self) -> int:
            purged.append(True)
            return 0

    monkeypatch.setattr(jobs, "get_backend", Backend)
    monkeypatch.setattr(jobs, "_last_purge", None)
    assert jobs.purge_rate_windows() == jobs.PURGE_EVERY_SECONDS
    assert 0 < jobs.purge_rate_windows() <= jobs.PURGE_EVERY_SECONDS
    assert purged == [True]


# --- settings from the environment ----------------------------------------------------


def _townsquare(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("RATE_LIMIT_", "CELERY_"))}
    base.update({"TOWNSQUARE_DATA_DIR": str(tmp_path), "SECRET_KEY": "x", **env})
    return subprocess.run(
        [sys.executable, "-m", "townsquare.cli", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def _setting(env: dict[str, str], tmp_path: Path, expression: str) -> subprocess.CompletedProcess:
    code = f"from django.conf import settings; print({expression})"
    return _townsquare(env, tmp_path, "shell", "-c", code)


def test_rate_limits_use_the_database_and_the_brokers_redis_by_default(tmp_path):
    result = _setting(
        {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/3"},
        tmp_path,
        "settings.RATE_LIMIT_BACKEND, settings.RATE_LIMIT_REDIS_URL",
    )
    assert result.stdout.strip().splitlines()[-1] == "db redis://127.0.0.1:6379/3", result.stderr


def test_redis_rate_limits_with_a_rabbitmq_broker_need_their_own_url(tmp_path):
    env = {"CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"}
    result = _townsquare({**env, "RATE_LIMIT_BACKEND": "redis"}, tmp_path, "check")
    assert result.returncode != 0
    assert "RATE_LIMIT_BACKEND=redis needs RATE_LIMIT_REDIS_URL" in result.stderr
    own = {**env, "RATE_LIMIT_BACKEND": "redis", "RATE_LIMIT_REDIS_URL": "redis://10.0.0.5:6379/1"}
    result = _setting(own, tmp_path, "settings.RATE_LIMIT_REDIS_URL")
    assert result.stdout.strip().splitlines()[-1] == "redis://10.0.0.5:6379/1", result.stderr


def test_a_misspelt_rate_limit_backend_stops_startup_with_the_variable_named(tmp_path):
    result = _townsquare({"RATE_LIMIT_BACKEND": "memcached"}, tmp_path, "check")
    assert result.returncode != 0
    assert "RATE_LIMIT_BACKEND must be one of db, redis" in result.stderr
