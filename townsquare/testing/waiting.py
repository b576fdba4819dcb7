"""Waiting in tests for something another thread or process does: poll for the condition,
never sleep for a guessed time. The deadline is generous because a loaded machine (CI, two
cores shared by several test runs) can be many times slower than a quiet one; a condition
that holds returns at once, so a long deadline costs nothing when things work."""

from __future__ import annotations

import time
from collections.abc import Callable

GENEROUS_S = 120.0


def wait_until[T](
    condition: Callable[[], T], *, what: str, timeout: float = GENEROUS_S, interval: float = 0.05
) -> T:
    """Poll `condition` until it returns something true, and return that; fail naming `what`
    after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        time.sleep(interval)
