"""The period picker of the dashboards: its choices as periods of whole local days in the
workspace's zone (kpis.periods.Period, first and last day included), each compared with the
previous period of the same length (Period.previous), as every KPI is.

Pure: no Django. "This month" and "this quarter" run until today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from townsquare.analytics.kpis.periods import Period

# The choices of the period picker, in the order it offers them.
PERIOD_KEYS: tuple[str, ...] = (
    "7d",
    "28d",
    "90d",
    "this_month",
    "last_month",
    "this_quarter",
    "last_quarter",
    "custom",
)
DEFAULT_PERIOD = "28d"
# A custom period spans at most two years: the history the demo and the benchmark keep.
MAX_DAYS = 731
# No dashboard reads before this day or after this one (a typo such as 0202 or 9999 is
# refused with a sentence, not a query over millennia).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


@dataclass(frozen=True)
class PeriodChoice:
    """The period to show (`key`: the picker's choice), and why the one asked for was not
    taken (`error`: a code; the default is shown instead)."""

    key: str
    period: Period
    error: str = ""


def _last_days(key: str, today: date, count: int) -> PeriodChoice:
    return PeriodChoice(key, Period(today - timedelta(days=count - 1), today))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_before(first_of_month: date) -> date:
    return _month_start(first_of_month - timedelta(days=1))


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarter_before(first_of_quarter: date) -> date:
    return _quarter_start(first_of_quarter - timedelta(days=1))


def _calendar(key: str, first: date, next_first: date, today: date) -> PeriodChoice:
    # This month or quarter runs until today.
    return PeriodChoice(key, Period(first, min(next_first - timedelta(days=1), today)))


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _next_quarter(first: date) -> date:
    return _next_month(_next_month(_next_month(first)))


def named_period(key: str, today: date) -> PeriodChoice:
    """A period of the picker other than "custom" (unknown keys: the default)."""
    if key == "7d":
        return _last_days(key, today, 7)
    if key == "90d":
        return _last_days(key, today, 90)
    if key == "this_month":
        first = _month_start(today)
        return _calendar(key, first, _next_month(first), today)
    if key == "last_month":
        first = _month_before(_month_start(today))
        return _calendar(key, first, _month_start(today), today)
    if key == "this_quarter":
        first = _quarter_start(today)
        return _calendar(key, first, _next_quarter(first), today)
    if key == "last_quarter":
        first = _quarter_before(_quarter_start(today))
        return _calendar(key, first, _quarter_start(today), today)
    return _last_days(DEFAULT_PERIOD, today, 28)


def _parse_day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def choose_period(key: str, today: date, start: str = "", end: str = "") -> PeriodChoice:
    """The period a picker's values name. A value that names none falls back to the
    default with an error code the page turns into a sentence: unknown_period,
    invalid_date, end_before_start, too_long."""
    fallback = named_period(DEFAULT_PERIOD, today)
    if key and key not in PERIOD_KEYS:
        return PeriodChoice(fallback.key, fallback.period, "unknown_period")
    if key != "custom":
        return named_period(key or DEFAULT_PERIOD, today)
    first, last = _parse_day(start), _parse_day(end)
    if first is None or last is None:
        return PeriodChoice(fallback.key, fallback.period, "invalid_date")
    if last < first:
        return PeriodChoice(fallback.key, fallback.period, "end_before_start")
    if (last - first).days + 1 > MAX_DAYS:
        return PeriodChoice(fallback.key, fallback.period, "too_long")
    return PeriodChoice("custom", Period(first, last))
