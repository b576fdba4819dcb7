"""Finding the farthest cut that fits, with few calls of an expensive length function."""

from __future__ import annotations

from collections.abc import Callable

LengthFunction = Callable[[str], int]


def farthest(
    low: int,
    high: int,
    fits: Callable[[int], bool],
    guess: int | None = None,
    surely_too_long: Callable[[int, int], bool] | None = None,
) -> int | None:
    """The largest i in [low, high) with fits(i), galloping from `guess`, then bisecting.

    Assumes fits is true up to some index and false after it. Only indices where fits
    was actually true are returned. `surely_too_long(i, good)` may end the search early
    when an estimate from the fitting index `good` puts i clearly over the limit.
    """
    if low >= high:
        return None
    probe = low if guess is None else min(max(guess, low), high - 1)
    good: int | None = None
    bad = high
    step = 1
    if fits(probe):
        good = probe
        while good + step < high:
            if surely_too_long is not None and surely_too_long(good + 1, good):
                return good
            if fits(good + step):
                good += step
                step *= 2
            else:
                bad = good + step
                break
    else:
        bad = probe
        while good is None:
            probe = max(bad - step, low)
            if probe == bad:
                return None
            if fits(probe):
                good = probe
            else:
                bad = probe
                step *= 2
    while bad - good > 1:
        middle = (good + bad) // 2
        if fits(middle):
            good = middle
        else:
            bad = middle
    return good
