"""The algorithm alone, with a clock the tests move: no database, no Redis."""

from __future__ import annotations

import random

import pytest

from townsquare.ratelimits.tests.support import EPOCH, FakeClock, MemoryModel, most_in_any_window
from townsquare.ratelimits.window import (
    SLOTS,
    Rate,
    WindowState,
    decide,
    oldest_counted_slot,
    regrid,
    to_ms,
)

RATE = Rate(5, 60)


@pytest.fixture
def model() -> MemoryModel:
    return MemoryModel(FakeClock())


def test_a_rate_grants_its_limit_and_then_says_how_long_to_wait(model):
    assert [model.acquire_all([("k", RATE)]) for _ in range(5)] == [0.0] * 5
    # All five were taken in the slot that starts at EPOCH; it leaves the period 60 s
    # after it ends.
    assert model.acquire_all([("k", RATE)]) == pytest.approx(60 + RATE.slot_ms / 1000)


def test_waiting_the_time_told_is_enough_and_a_millisecond_less_is_not(model):
    for _ in range(5):
        model.acquire_all([("k", RATE)])
    model.clock.advance(7.25)
    wait = model.acquire_all([("k", RATE)])
    assert wait > 0
    early = MemoryModel(FakeClock(model.clock.now), dict(model.states))
    assert early.acquire_all([("k", RATE)], model.clock.now + wait - 0.001) > 0
    assert model.acquire_all([("k", RATE)], model.clock.now + wait) == 0.0


def test_a_refusal_takes_nothing(model):
    for _ in range(5):
        model.acquire_all([("k", RATE)])
    before = model.states["k"]
    for _ in range(10):
        assert model.acquire_all([("k", RATE)]) > 0
    assert model.states["k"] == before


def test_the_wait_waits_only_for_as_many_old_grants_as_must_leave(model):
    model.acquire_all([("k", RATE)])  # one at 0 s
    model.clock.advance(30)
    for _ in range(4):  # four at 30 s
        model.acquire_all([("k", RATE)])
    model.clock.advance(1)
    # The one at 0 s leaving is enough for one more: its slot ends 1 s after it began.
    assert model.acquire_all([("k", RATE)]) == pytest.approx(60 + 1 - 31)
    # Two more need the 30 s slot to leave as well.
    assert model.acquire_all([("k", RATE)], cost=2) == pytest.approx(30 + 1 + 60 - 31)


@pytest.mark.parametrize("seed", range(12))
def test_no_period_long_span_ever_holds_more_than_the_limit(seed):
    rng = random.Random(seed)
    rate = Rate(rng.randint(1, 40), rng.choice([0.5, 1, 7.5, 60, 900]))
    model = MemoryModel(FakeClock())
    grants: list[int] = []
    # Callers arrive at random, sometimes in bursts, sometimes exactly when told to.
    for _ in range(3000):
        wait = model.acquire_all([("k", rate)])
        if wait:
            model.clock.advance(wait if rng.random() < 0.5 else rng.uniform(0, wait))
        else:
            grants.append(to_ms(model.clock.now))
            model.clock.advance(rng.choice([0, 0, rng.uniform(0, rate.per_seconds / 5)]))
    assert most_in_any_window(grants, rate.window_ms) <= rate.limit
    assert len(grants) > rate.limit


def test_a_steady_queue_gets_nearly_the_whole_rate():
    rate = Rate(100, 900)
    model = MemoryModel(FakeClock())
    granted = 0
    end = EPOCH + 10 * rate.per_seconds
    while model.clock.now < end:
        wait = model.acquire_all([("k", rate)])
        if wait:
            model.clock.advance(wait)
        else:
            granted += 1
    # Counting the oldest slot whole costs at most one slot per period.
    assert granted >= 10 * rate.limit * SLOTS / (SLOTS + 1)
    assert granted <= 11 * rate.limit


def test_callers_whose_clocks_disagree_by_less_than_a_period_never_exceed_the_limit():
    rng = random.Random(7)
    rate = Rate(10, 10)
    model = MemoryModel(FakeClock())
    grants: list[int] = []
    for _ in range(4000):
        # Each caller reads its own clock, up to 2 s wrong either way, and they are
        # served in any order.
        now = model.clock.now + rng.uniform(-2, 2)
        if not model.acquire_all([("k", rate)], now):
            grants.append(to_ms(now))
        model.clock.advance(rng.uniform(0, 0.05))
    assert most_in_any_window(grants, rate.window_ms) <= rate.limit


def test_a_cost_counts_several_units_and_one_larger_than_the_limit_is_refused(model):
    assert model.acquire_all([("k", RATE)], cost=3) == 0.0
    assert model.acquire_all([("k", RATE)], cost=3) > 0
    assert model.acquire_all([("k", RATE)], cost=2) == 0.0
    with pytest.raises(ValueError, match="never fit"):
        model.acquire_all([("k", RATE)], cost=6)
    with pytest.raises(ValueError, match="cost must be"):
        model.acquire_all([("k", RATE)], cost=0)


def test_several_windows_are_taken_all_or_nothing(model):
    account, app = ("x:account:1", Rate(3, 60)), ("x:global", Rate(4, 60))
    other = ("x:account:2", Rate(3, 60))
    for _ in range(3):
        assert model.acquire_all([account, app]) == 0.0
    assert model.acquire_all([account, app]) > 0
    assert model.acquire_all([other, app]) == 0.0
    # The app's window is now full: account 2 has room, but nothing is taken from it.
    assert model.acquire_all([other, app]) > 0
    assert sum(model.states["x:account:2"].counts.values()) == 1


def test_a_key_named_twice_in_one_request_is_refused(model):
    with pytest.raises(ValueError, match="once per request"):
        model.acquire_all([("k", RATE), ("k", Rate(10, 3600))])


def test_a_penalty_blocks_until_its_end_and_a_shorter_one_does_not_shorten_it(model):
    model.penalise("k", EPOCH + 30)
    model.penalise("k", EPOCH + 10)
    assert model.acquire_all([("k", RATE)]) == pytest.approx(30)
    model.clock.advance(29.5)
    assert model.acquire_all([("k", RATE)]) == pytest.approx(0.5)
    model.clock.advance(0.5)
    assert model.acquire_all([("k", RATE)]) == 0.0


@pytest.mark.parametrize(
    ("before", "after"), [(Rate(10, 60), Rate(10, 180)), (Rate(10, 180), Rate(10, 7))]
)
def test_changing_a_keys_rate_never_forgets_grants(before, after):
    rng = random.Random(3)
    state = WindowState()
    granted: list[int] = []
    for _ in range(10):
        now_ms = to_ms(EPOCH + rng.uniform(0, 59))
        wait, (state,) = decide([state], [before], now_ms)
        assert wait == 0
        granted.append(now_ms)
    moved = regrid(state, after.slot_ms)
    assert sum(moved.counts.values()) == 10
    # At every later moment the new grid counts at least the grants that really fall
    # into the new period.
    for now_ms in range(to_ms(EPOCH + 59), to_ms(EPOCH + 59 + 2 * 180), 250):
        oldest = oldest_counted_slot(after, now_ms)
        counted = sum(count for index, count in moved.counts.items() if index >= oldest)
        really = sum(1 for at in granted if now_ms - after.window_ms <= at <= now_ms)
        assert counted >= really, now_ms


@pytest.mark.parametrize(
    ("limit", "per", "message"),
    [(0, 1, "limit"), (1.5, 1, "limit"), (True, 1, "limit"), (1, 0, "period"), (1, -1, "period")],
)
def test_a_rate_that_makes_no_sense_is_refused(limit, per, message):
    with pytest.raises(ValueError, match=message):
        Rate(limit, per)


def test_a_rate_reads_as_units_per_period():
    assert str(Rate(100, 900)) == "100/900s"
    assert Rate(1, 0.001).slot_ms == 1
    assert Rate(50, 86_400).slot_ms == 1_440_000
