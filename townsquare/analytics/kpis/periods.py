"""Periods and comparisons: every KPI is shown beside its value for the previous period of
the same length (pure).

A period is a span of whole local days in the workspace's zone, first and last included.
Its previous period is the same number of days ending the day before it starts: 1-31 March
is compared with 30 January-28 February (31 days), a week with the week before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Period:
    start: date  # first local day, included
    end: date  # last local day, included

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("period_ends_before_it_starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(start=end - timedelta(days=self.days - 1), end=end)

    def day_list(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Comparison:
    """A KPI's value for the period beside the previous period's.

    None means unknown (the network does not report it, or there is nothing to divide by),
    never zero. `change` is value - previous; `change_percent` is that change relative to
    the previous value, None when either is unknown or the previous value is 0 (a rise from
    nothing has no percentage)."""

    value: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> float | None:
        change = self.change
        if change is None or not self.previous:
            return None
        return change * 100.0 / abs(self.previous)

    @property
    def known(self) -> bool:
        return self.value is not None


def compare(value: float | None, previous: float | None) -> Comparison:
    return Comparison(value=value, previous=previous)


UNKNOWN = Comparison(value=None, previous=None)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator; None when either is unknown or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def percent(numerator: float | None, denominator: float | None) -> float | None:
    found = ratio(numerator, denominator)
    return None if found is None else found * 100.0


def known_sum(values: Sequence[float | None]) -> float | None:
    """The sum of the known values; None when none is known (unknown is not 0)."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0..1) by linear interpolation between the closest ranks (the method
    of numpy's default and PostgreSQL's percentile_cont); None for no values."""
    if not values:
        return None
    if not 0.0 <= q <= 1.0:
        raise ValueError("quantile_out_of_range")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    below = math.floor(position)
    above = math.ceil(position)
    if below == above:
        return float(ordered[below])
    weight = position - below
    return ordered[below] * (1.0 - weight) + ordered[above] * weight
