"""Trends, shares and the weekday x hour matrix: the figures behind the charts (pure).

- **Daily series**: one value per local day of the period, per named series (None: not
  reported that day, drawn as a gap rather than a drop to 0). Weekly series sum (counts)
  or take the last known value (totals such as followers) per ISO week, Monday first.
- **Shares**: each part's value and its percentage of the whole (per network, pillar,
  campaign); parts with nothing are left out, the largest first.
- **Weekday x hour matrix**: posts published in each local weekday (0 = Monday) and hour,
  their engagements, and engagements per post in that slot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from townsquare.analytics.kpis.periods import Period, ratio

# Series that are totals on a day (the last value of a week stands for the week); the
# others are counts of that day (a week is their sum).
TOTAL_SERIES = frozenset({"followers", "following", "posts_total"})


@dataclass(frozen=True, slots=True)
class DailySeries:
    days: tuple[date, ...]
    values: Mapping[str, tuple[float | None, ...]] = field(default_factory=dict)

    def series(self, name: str) -> tuple[float | None, ...]:
        return self.values.get(name, tuple(None for _ in self.days))


def daily_series(period: Period, points: Mapping[str, Mapping[date, float | None]]) -> DailySeries:
    """Every day of the period for every named series; a day without a point is None."""
    days = tuple(period.day_list())
    return DailySeries(
        days=days,
        values={name: tuple(by_day.get(day) for day in days) for name, by_day in points.items()},
    )


def weekly(series: DailySeries, names: Iterable[str] | None = None) -> DailySeries:
    """The series per ISO week (keyed by the week's Monday, even when the period starts
    later in that week); only `names` when given (a chart needs one of a dozen series)."""
    week_of = [day - timedelta(days=day.weekday()) for day in series.days]
    mondays = list(dict.fromkeys(week_of))
    position = {monday: i for i, monday in enumerate(mondays)}
    index = [position[monday] for monday in week_of]
    wanted = series.values if names is None else {n: series.series(n) for n in names}
    out: dict[str, tuple[float | None, ...]] = {}
    for name, values in wanted.items():
        buckets: list[float | None] = [None] * len(mondays)
        total = name in TOTAL_SERIES
        for i, value in zip(index, values, strict=True):
            if value is None:
                continue
            before = buckets[i]
            # A total: the week's last known value; a count: the week's sum.
            buckets[i] = value if total or before is None else before + value
        out[name] = tuple(buckets)
    return DailySeries(days=tuple(mondays), values=out)


@dataclass(frozen=True, slots=True)
class ShareRow:
    key: str
    label: str
    value: float
    share: float  # percent of the total


@dataclass(frozen=True, slots=True)
class Shares:
    rows: tuple[ShareRow, ...]
    total: float


def shares(values: Mapping[str, float], labels: Mapping[str, str] | None = None) -> Shares:
    labels = labels or {}
    total = sum(v for v in values.values() if v > 0)
    rows = [
        ShareRow(
            key=key,
            label=labels.get(key, key),
            value=value,
            share=(value * 100.0 / total) if total else 0.0,
        )
        for key, value in values.items()
        if value > 0
    ]
    rows.sort(key=lambda r: (-r.value, r.label.lower()))
    return Shares(rows=tuple(rows), total=total)


@dataclass(frozen=True, slots=True)
class SlotCount:
    """Posts published in one local weekday (0 = Monday) and hour, and their engagements."""

    weekday: int
    hour: int
    posts: int
    engagements: int


@dataclass(frozen=True, slots=True)
class Cell:
    weekday: int
    hour: int
    posts: int
    engagements: int

    @property
    def per_post(self) -> float | None:
        return ratio(self.engagements, self.posts)


@dataclass(frozen=True, slots=True)
class WeekdayHourMatrix:
    cells: tuple[tuple[Cell, ...], ...]  # 7 rows (Monday first) of 24 hours

    def cell(self, weekday: int, hour: int) -> Cell:
        return self.cells[weekday][hour]

    @property
    def posts(self) -> int:
        return sum(c.posts for row in self.cells for c in row)

    @property
    def highest_per_post(self) -> float | None:
        found = [c.per_post for row in self.cells for c in row if c.per_post is not None]
        return max(found) if found else None


def weekday_hour_matrix(slots: Iterable[SlotCount]) -> WeekdayHourMatrix:
    """The 7 x 24 matrix; counts of the same slot are added; a slot out of range is an
    error of the caller."""
    sums: dict[tuple[int, int], list[int]] = {}
    for slot in slots:
        if not (0 <= slot.weekday <= 6 and 0 <= slot.hour <= 23):
            raise ValueError("slot_out_of_range")
        found = sums.setdefault((slot.weekday, slot.hour), [0, 0])
        found[0] += slot.posts
        found[1] += slot.engagements
    return WeekdayHourMatrix(
        cells=tuple(
            tuple(Cell(weekday, hour, *sums.get((weekday, hour), (0, 0))) for hour in range(24))
            for weekday in range(7)
        )
    )


def matrix_rows(matrix: WeekdayHourMatrix) -> Sequence[SlotCount]:
    """The matrix back as slots (for a table or a CSV), Monday 0:00 first."""
    return [
        SlotCount(c.weekday, c.hour, c.posts, c.engagements) for row in matrix.cells for c in row
    ]
