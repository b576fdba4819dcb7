"""Axis ticks people read at a glance: steps of 1, 2, 2.5 or 5 times a power of ten.

Pure: no Django. Every result is finite: empty data, one value, all zeros and negative
values all give a usable range.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class Ticks:
    low: float
    high: float
    step: float
    values: tuple[float, ...]
    decimals: int  # the decimals a tick label needs (0 for steps of 1 and more)

    def position(self, value: float, start: float, end: float) -> float:
        """Where value lies between start (at low) and end (at high)."""
        span = self.high - self.low
        return start + (value - self.low) / span * (end - start) if span else start


def nice_ticks(
    values: Iterable[float], count: int = 5, *, whole: bool = False, include_zero: bool = True
) -> Ticks:
    """About `count` ticks covering every value (and zero, for bars and counts).

    `whole`: the values are counts, so steps smaller than 1 make no sense (0, 1, 2, not 0.5).
    """
    present = [v for v in values if v is not None and math.isfinite(v)]
    low = min(present, default=0.0)
    high = max(present, default=0.0)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        # One value (or none): a range around it, so the point sits on the chart.
        padding = abs(high) * 0.5 or 1.0
        high = high + padding if high >= 0 else high
        low = low - padding if low < 0 or not include_zero else low
    rough = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in _STEPS if m * magnitude >= rough)
    if whole:
        step = max(1.0, round(step)) if step >= 1 else 1.0
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    n = round((last - first) / step)
    ticks = tuple(_clean(first + i * step) for i in range(n + 1))
    decimals = next((d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 6)
    return Ticks(low=ticks[0], high=ticks[-1], step=step, values=ticks, decimals=decimals)


def _clean(value: float) -> float:
    """A tick without floating-point dust (0.30000000000000004 is 0.3; -0.0 is 0)."""
    cleaned = round(value, 9)
    return 0.0 if cleaned == 0 else cleaned


def label_indices(count: int, room: int) -> tuple[int, ...]:
    """Which of `count` evenly spaced positions get a label, at most `room` of them, the
    first always and the steps even (every 7th day, say)."""
    if count <= 0:
        return ()
    room = max(1, room)
    if count <= room:
        return tuple(range(count))
    step = math.ceil(count / room)
    return tuple(range(0, count, step))


def date_labels(
    days: tuple[date, ...], room: float, label: Callable[[date, bool], str], char_width: float
) -> tuple[tuple[int, str], ...]:
    """The positions labelled under a time axis and their texts, as many as fit in `room`
    (the axis' width). Where the axis crosses into another year, the first label and the
    first of each new year carry the year ("8 Dec 2025", "26 Jan 2026", "16 Mar"), so two
    Decembers are never confused. `label(day, with_year)` writes one label."""
    if not days:
        return ()
    crosses_years = days[0].year != days[-1].year
    widest = max(len(label(day, crosses_years)) for day in (days[0], days[-1]))
    indices = label_indices(len(days), int(room / (widest * char_width + 12)))
    out, year = [], None
    for index in indices:
        day = days[index]
        out.append((index, label(day, crosses_years and day.year != year)))
        year = day.year
    return tuple(out)
