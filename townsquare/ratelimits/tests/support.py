"""Helpers for the rate-limit tests: a clock the test moves, a reference model, checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from townsquare.ratelimits.window import (
    Rate,
    WindowState,
    check_request,
    decide,
    penalised,
    to_ms,
)

# A fixed, realistic epoch: slot indices and milliseconds as large as in production.
EPOCH = 1_800_000_000.0
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class FakeClock:
    now: float = EPOCH

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class MemoryModel:
    """window.py applied to a dict: what every backend must answer, call for call."""

    clock: FakeClock
    states: dict[str, WindowState] = field(default_factory=dict)

    def acquire_all(
        self, limits: Sequence[tuple[str, Rate]], now: float | None = None, cost: int = 1
    ) -> float:
        keys = [key for key, _ in limits]
        rates = [rate for _, rate in limits]
        check_request(keys, rates, cost)
        now_ms = to_ms(self.clock() if now is None else now)
        old = [self.states.get(key, WindowState()) for key in keys]
        wait, new = decide(old, rates, now_ms, cost)
        if not wait:
            self.states.update(zip(keys, new, strict=True))
        return wait / 1000

    def penalise(self, key: str, until_epoch: float) -> None:
        self.states[key] = penalised(self.states.get(key, WindowState()), to_ms(until_epoch))


def most_in_any_window(times_ms: Iterable[int], window_ms: int) -> int:
    """The most grants in any closed span [t, t + window] (t ranging over the grants)."""
    times = sorted(times_ms)
    best = 0
    right = 0
    for left, start in enumerate(times):
        right = max(right, left)
        while right < len(times) and times[right] <= start + window_ms:
            right += 1
        best = max(best, right - left)
    return best
