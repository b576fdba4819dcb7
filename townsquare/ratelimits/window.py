"""The rate-limit algorithm, pure: a sliding window counted in slots.

Networks state their limits as "N per period" over a rolling period (X: 100 posts per
15 minutes; Instagram: 50 per 24 hours). A token bucket would let 2N through in one period
(a full bucket, then a refill), and a fixed window lets 2N through around a window edge,
so both can earn a 429 while staying "within the rate". A log of every grant is exact but
grows with N (10,000 entries for X's daily app limit).

So the period is cut into about `SLOTS` slots and each key keeps one counter per slot. A
request at time t counts every grant in the slots that touch [t - period, t] - the oldest
one entirely, although part of it has already left the period. Counting too much can only
make us wait longer (at most one slot), never send too many: in every period-long span of
time at most N grants are made, whatever the order in which concurrent callers commit and
as long as their clocks agree within one period.

Everything is whole milliseconds so that the database backend (Python) and the Redis
backend (Lua, where numbers are doubles) compute identical answers. The Lua script in
redis_backend.py mirrors these functions; a change here must be made there too (the
backend tests run the same scenarios against both).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# Slots per period: a denied caller waits at most one slot (1/60 of the period) longer
# than an exact log would make it wait, and a key stores at most 121 counters (see
# oldest_kept_slot).
SLOTS = 60


@dataclass(frozen=True)
class Rate:
    """At most `limit` units (usually posts) in any `per_seconds`-long span of time."""

    limit: int
    per_seconds: float

    def __post_init__(self) -> None:
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 1:
            raise ValueError(f"a rate's limit must be a whole number >= 1, not {self.limit!r}")
        # `not >=` also refuses NaN; below a millisecond the window has no slots.
        if not self.per_seconds >= 0.001 or math.isinf(self.per_seconds):
            raise ValueError(f"a rate's period must be at least 0.001 s, not {self.per_seconds!r}")

    @property
    def window_ms(self) -> int:
        return max(1, round(self.per_seconds * 1000))

    @property
    def slot_ms(self) -> int:
        return max(1, -(-self.window_ms // SLOTS))

    def __str__(self) -> str:
        return f"{self.limit}/{self.per_seconds:g}s"


@dataclass
class WindowState:
    """What one key remembers. `slot_ms == 0` means no grant has been counted yet."""

    slot_ms: int = 0
    counts: dict[int, int] = field(default_factory=dict)
    blocked_until_ms: int = 0


def to_ms(epoch_seconds: float) -> int:
    return math.floor(epoch_seconds * 1000)


def regrid(state: WindowState, slot_ms: int) -> WindowState:
    """The state on a grid of `slot_ms` slots (the rate of a key was changed).

    Each old slot's grants move to the new slot that holds the old slot's last
    millisecond: treating grants as later than they were keeps them counted longer, so
    the change can only make callers wait, never exceed the limit.
    """
    if state.slot_ms in (0, slot_ms):
        return WindowState(slot_ms, dict(state.counts), state.blocked_until_ms)
    moved: dict[int, int] = {}
    for index, count in state.counts.items():
        target = ((index + 1) * state.slot_ms - 1) // slot_ms
        moved[target] = moved.get(target, 0) + count
    return WindowState(slot_ms, moved, state.blocked_until_ms)


def oldest_counted_slot(rate: Rate, now_ms: int) -> int:
    """Index of the oldest slot that touches [now - period, now]."""
    return (now_ms - rate.window_ms) // rate.slot_ms


def wait_ms(state: WindowState, rate: Rate, now_ms: int, cost: int = 1) -> int:
    """0 when `cost` more units fit now, else the milliseconds until they will (if
    nobody else takes any meanwhile). `state` must be on the rate's grid (see regrid)."""
    if now_ms < state.blocked_until_ms:
        return state.blocked_until_ms - now_ms
    oldest = oldest_counted_slot(rate, now_ms)
    # Slots later than now count too: another caller's clock may run slightly ahead.
    live = sorted((index, count) for index, count in state.counts.items() if index >= oldest)
    excess = sum(count for _, count in live) + cost - rate.limit
    if excess <= 0:
        return 0
    for index, count in live:
        excess -= count
        if excess <= 0:
            # Slot `index` stops touching the period once now - period >= its end.
            return (index + 1) * rate.slot_ms + rate.window_ms - now_ms
    # Only reachable when cost > limit, which check_cost refuses up front.
    raise ValueError(f"{cost} units never fit into {rate}")


def oldest_kept_slot(rate: Rate, now_ms: int) -> int:
    """Slots are kept one period longer than this caller counts them: a worker whose
    clock runs behind still counts them, and forgetting them early would let it exceed
    the limit. (Clocks of workers must agree within one period.)"""
    return (now_ms - 2 * rate.window_ms) // rate.slot_ms


def take(state: WindowState, rate: Rate, now_ms: int, cost: int = 1) -> WindowState:
    """The state after `cost` units were granted at `now_ms`; long-gone slots go."""
    kept = oldest_kept_slot(rate, now_ms)
    counts = {index: count for index, count in state.counts.items() if index >= kept}
    current = now_ms // rate.slot_ms
    counts[current] = counts.get(current, 0) + cost
    return WindowState(rate.slot_ms, counts, state.blocked_until_ms)


def expires_at_ms(state: WindowState, rate: Rate) -> int:
    """When the state no longer matters: its newest slot has left the period (and the
    period of slack for clocks that run behind) and any block is over. Stores may
    forget the key from then on."""
    newest_end = (max(state.counts) + 1) * rate.slot_ms + 2 * rate.window_ms if state.counts else 0
    return max(newest_end, state.blocked_until_ms)


def check_request(keys: Sequence[str], rates: Sequence[Rate], cost: int) -> None:
    """Refuse what can never be granted or would be counted twice."""
    if len(set(keys)) != len(keys):
        raise ValueError(f"each key may appear once per request: {list(keys)}")
    if not keys:
        raise ValueError("a request names at least one key")
    check_cost(rates, cost)


def check_cost(rates: Sequence[Rate], cost: int) -> None:
    if isinstance(cost, bool) or not isinstance(cost, int) or cost < 1:
        raise ValueError(f"cost must be a whole number >= 1, not {cost!r}")
    for rate in rates:
        if cost > rate.limit:
            raise ValueError(f"{cost} units can never fit into {rate}")


def decide(
    states: Sequence[WindowState], rates: Sequence[Rate], now_ms: int, cost: int = 1
) -> tuple[int, list[WindowState]]:
    """All or nothing over several keys: (0, new states) when every rate has room, else
    (the longest wait, the states unchanged but for their grid)."""
    check_cost(rates, cost)
    gridded = [regrid(state, rate.slot_ms) for state, rate in zip(states, rates, strict=True)]
    pairs = list(zip(gridded, rates, strict=True))
    wait = max(wait_ms(state, rate, now_ms, cost) for state, rate in pairs)
    if wait:
        return wait, gridded
    return 0, [take(state, rate, now_ms, cost) for state, rate in pairs]


def penalised(state: WindowState, until_ms: int) -> WindowState:
    """The state blocked until `until_ms`; an earlier end never shortens a block."""
    return WindowState(state.slot_ms, dict(state.counts), max(state.blocked_until_ms, until_ms))
