"""Numbers, dates and axis ticks as the reader's language writes them."""

from __future__ import annotations

import math
from datetime import date

import pytest

from townsquare.analytics.charts.scale import label_indices, nice_ticks
from townsquare.analytics.charts.words import (
    axis_date,
    format_change,
    format_compact,
    format_number,
    format_percent,
    table_date,
    weekday_name,
)


@pytest.mark.parametrize(
    ("value", "language", "decimals", "shown"),
    [
        (1234.5, "en", None, "1,234.5"),
        (1234.5, "de", None, "1.234,5"),
        (1234567, "de-at", None, "1.234.567"),
        (-1234.5, "en", None, "\u22121,234.5"),
        (-0.04, "en", 1, "0.0"),
        (3, "fr", 2, "3.00"),
        (None, "de", None, ""),
        (float("nan"), "en", None, ""),
        (float("inf"), "en", None, ""),
    ],
)
def test_numbers_are_formatted_for_the_language(
    value: float | None, language: str, decimals: int | None, shown: str
) -> None:
    assert format_number(value, language, decimals) == shown


def test_percentages_changes_and_large_numbers_per_language() -> None:
    assert format_percent(0.125, "en") == "12.5%"
    assert format_percent(0.125, "de") == "12,5\u00a0%"
    assert format_change(110, 100, "en") == "+10.0%"
    assert format_change(90, 100, "de") == "\u221210,0\u00a0%"
    assert format_change(5, 0, "en") == "" and format_change(None, 3, "en") == ""
    assert format_compact(1_300_000, "en") == "1.3M"
    assert format_compact(2_000_000, "de") == "2\u00a0Mio."
    assert format_compact(999_999, "de") == "999.999"


def test_dates_and_weekdays_in_german_and_english() -> None:
    day = date(2026, 3, 7)
    assert axis_date(day, "de") == "7. März" and axis_date(day, "en") == "7 Mar"
    assert table_date(day, "de") == "07.03.2026" and table_date(day, "en") == "7 Mar 2026"
    assert table_date(day, "de", "month") == "März 2026"
    assert weekday_name(0, "de") == "Montag" and weekday_name(6, "en", short=True) == "Sun"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0, 87], (0, 20, 40, 60, 80, 100)),
        ([], (0, 0.2, 0.4, 0.6, 0.8, 1)),
        ([0, 0, 0], (0, 0.2, 0.4, 0.6, 0.8, 1)),
        ([42], (0, 10, 20, 30, 40, 50)),
        ([-120, 40], (-150, -100, -50, 0, 50)),
        ([0.1, 0.37], (0, 0.1, 0.2, 0.3, 0.4)),
    ],
)
def test_axis_ticks_are_round_and_cover_every_value(
    values: list[float], expected: tuple[float, ...]
) -> None:
    ticks = nice_ticks(values, 5)
    assert ticks.values == pytest.approx(expected)
    assert all(math.isfinite(t) for t in ticks.values)
    assert ticks.low <= min(values, default=0) and ticks.high >= max(values, default=0)


def test_counts_never_get_fractional_ticks_and_labels_are_spread_evenly() -> None:
    assert nice_ticks([0, 2], 5, whole=True).values == (0, 1, 2)
    assert nice_ticks([0, 2], 5, whole=True).decimals == 0
    assert nice_ticks([0, 0.25], 5).decimals == 2
    assert label_indices(30, 7) == (0, 5, 10, 15, 20, 25)
    assert label_indices(3, 7) == (0, 1, 2) and label_indices(0, 7) == ()
