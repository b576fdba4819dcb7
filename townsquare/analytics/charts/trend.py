"""The trend line: one or more series over days, weeks or months, each with its previous
period as a dashed line of the same colour. Pure: no Django.

The previous period is aligned by position: its first value sits above the current period's
first day, so "this month against last month" reads as two lines over the same axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from townsquare.analytics.charts import palette, svg
from townsquare.analytics.charts.scale import date_labels, nice_ticks
from townsquare.analytics.charts.table import ChartTable
from townsquare.analytics.charts.words import (
    axis_date,
    finite,
    format_change,
    format_compact,
    format_number,
    places_for,
    table_date,
    word,
)

Step = Literal["day", "week", "month"]

WIDTH = 640
HEIGHT = 300
_LEGEND_ROW = 20
_PAD_TOP = 10
_PAD_RIGHT = 24
_AXIS_BELOW = 26


@dataclass(frozen=True)
class Series:
    """One line: a value per position of the chart's `days`; None = not reported (a gap)."""

    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class TrendChart:
    """`days`: the first day of each position (a day, a week's Monday, a month's first).

    `previous`: the previous period of each series, by position (previous[i] belongs to
    series[i]; fewer or none is fine). `summable`: the values add up (impressions per day)
    and the summary names the total; otherwise (followers) it names the latest value.
    `decimals`: decimals of the values in the table and summary (None: as needed).
    """

    title: str
    days: tuple[date, ...]
    series: tuple[Series, ...]
    previous: tuple[Series, ...] = ()
    step: Step = "day"
    summable: bool = True
    decimals: int | None = None


def _values(series: Series, count: int) -> list[float | None]:
    """The series' values fitted to the chart's positions, anything not finite as a gap."""
    values = [finite(v) for v in series.values[:count]]
    return values + [None] * (count - len(values))


def _decimals(chart: TrendChart, values: list[float | None]) -> int:
    return places_for(chart.decimals, values)


def _total(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _latest(values: list[float | None]) -> float | None:
    return next((v for v in reversed(values) if v is not None), None)


def _summary_value(chart: TrendChart, values: list[float | None]) -> float | None:
    return _total(values) if chart.summable else _latest(values)


def describe(chart: TrendChart, language: str) -> str:
    """The chart in a few sentences, for the <desc> (what a screen reader says)."""
    count = len(chart.days)
    if not count or not any(any(v is not None for v in _values(s, count)) for s in chart.series):
        return word("no_data", language) + "."
    first, last = (
        table_date(chart.days[0], language, chart.step),
        table_date(chart.days[-1], language, chart.step),
    )
    sentences = []
    for index, series in enumerate(chart.series):
        values = _values(series, count)
        value = _summary_value(chart, values)
        if value is None:
            sentences.append(f"{series.label}: {word('not_reported', language)}.")
            continue
        places = _decimals(chart, values)
        shown = format_number(value, language, places)
        parts = [
            word("in_total", language, total=shown)
            if chart.summable
            else word("latest", language, value=shown)
        ]
        peak = max((v, i) for i, v in enumerate(values) if v is not None)
        parts.append(
            word(
                "highest",
                language,
                value=format_number(peak[0], language, places),
                day=table_date(chart.days[peak[1]], language, chart.step),
            )
        )
        if index < len(chart.previous):
            before = _summary_value(chart, _values(chart.previous[index], count))
            if before is not None:
                parts.append(
                    word("previous_total", language, value=format_number(before, language, places))
                )
                change = format_change(value, before, language)
                if change:
                    parts.append(word("change", language, change=change))
        sentences.append(f"{series.label}: {', '.join(parts)}.")
    return f"{word('range', language, first=first, last=last).capitalize()}. " + " ".join(sentences)


def trend_table(chart: TrendChart, language: str) -> ChartTable:
    """One row per position: the date, then each series and, beside it, its previous period."""
    count = len(chart.days)
    columns = [word("date", language) if chart.step != "month" else word("period", language)]
    columns_values: list[list[float | None]] = []
    for index, series in enumerate(chart.series):
        columns.append(series.label)
        columns_values.append(_values(series, count))
        if index < len(chart.previous):
            columns.append(word("previous", language, label=series.label))
            columns_values.append(_values(chart.previous[index], count))
    places = [_decimals(chart, values) for values in columns_values]
    rows = []
    for position, day in enumerate(chart.days):
        shown_day = table_date(day, language, chart.step)
        if chart.step == "week":
            shown_day = word("week_of", language, day=shown_day)
        cells = [
            format_number(values[position], language, column_places)
            for values, column_places in zip(columns_values, places, strict=True)
        ]
        rows.append((shown_day, *cells))
    return ChartTable(columns=tuple(columns), rows=tuple(rows))


def trend_svg(chart: TrendChart, language: str, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    count = len(chart.days)
    current = [_values(s, count) for s in chart.series]
    previous = [_values(s, count) for s in chart.previous[: len(chart.series)]]
    everything = [v for values in current + previous for v in values if v is not None]
    # Counts per day start at zero; a level (followers, a rate) is drawn around its values,
    # so that its change is visible rather than flattened against zero.
    whole = all(v == round(v) for v in everything)
    ticks = nice_ticks(everything, 5, whole=whole, include_zero=chart.summable)
    tick_labels = [format_compact(t, language, ticks.decimals) for t in ticks.values]

    legend, legend_height = _legend(chart, width, language)
    left = 12 + max(svg.text_width(label, svg.SMALL_FONT_SIZE) for label in tick_labels)
    top = _PAD_TOP + legend_height
    right = width - _PAD_RIGHT
    bottom = height - _AXIS_BELOW
    parts = [legend]

    for tick, label in zip(ticks.values, tick_labels, strict=True):
        y = ticks.position(tick, bottom, top)
        emphasis = tick == 0 and ticks.low < 0
        parts.append(
            svg.line(
                left, y, right, y, palette.INK if emphasis else palette.GRID, 1.2 if emphasis else 1
            )
        )
        parts.append(
            svg.text(
                left - 6, y + 4, label, anchor="end", size=svg.SMALL_FONT_SIZE, fill=palette.MUTED
            )
        )
    parts.append(svg.line(left, bottom, right, bottom, palette.AXIS))

    def x_at(position: int) -> float:
        return (left + right) / 2 if count <= 1 else left + position * (right - left) / (count - 1)

    def axis_text(day: date, with_year: bool) -> str:
        return axis_date(day, language, chart.step, with_year=with_year)

    char_width = svg.SMALL_FONT_SIZE * svg.CHAR_WIDTH
    for position, label in date_labels(chart.days, right - left, axis_text, char_width):
        x = x_at(position)
        parts.append(svg.line(x, bottom, x, bottom + 4, palette.AXIS))
        parts.append(svg.axis_label(x, bottom + 17, label, width, palette.MUTED))

    if not everything:
        parts.append(
            svg.text(
                (left + right) / 2,
                (top + bottom) / 2,
                word("no_data", language),
                anchor="middle",
                fill=palette.MUTED,
            )
        )

    def y_at(value: float) -> float:
        return ticks.position(value, bottom, top)

    def points(values: list[float | None]) -> list[tuple[float, float] | None]:
        return [None if v is None else (x_at(i), y_at(v)) for i, v in enumerate(values)]

    for index, values in enumerate(previous):
        parts.append(_path(points(values), palette.series_colour(index), dashed=True))
    # Every point marked up to 40 of them; beyond, every n-th, so that each line keeps its
    # marker shape (what tells the lines apart in grey print) without a crowd of dots.
    marker_step = 1 if count <= 40 else -(-count // 20)
    for index, values in enumerate(current):
        colour = palette.series_colour(index)
        shape = palette.MARKERS[index % len(palette.MARKERS)]
        places = _decimals(chart, values)
        parts.append(_path(points(values), colour, dashed=False))
        for position, value in enumerate(values):
            if value is None:
                continue
            before = values[position - 1] if position > 0 else None
            after = values[position + 1] if position + 1 < count else None
            # A value between two gaps has no line: its marker is all there is to see.
            if position % marker_step == 0 or (before is None and after is None):
                shown_day = table_date(chart.days[position], language, chart.step)
                label = f"{chart.series[index].label}, {shown_day}: "
                label += format_number(value, language, places)
                point = palette.marker(shape, x_at(position), y_at(value), colour)
                parts.append(f"<g>{svg.tooltip(label)}{point}</g>")

    description = describe(chart, language)
    return svg.document(width, height, chart.title, description, "".join(parts), kind="trend")


def _path(points: list[tuple[float, float] | None], colour: str, *, dashed: bool) -> str:
    """The line through the points, broken where a value is missing (not drawn as zero)."""
    runs: list[list[str]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(f"{svg.num(point[0])},{svg.num(point[1])}")
    style = ' stroke-width="2"'
    if dashed:
        style = ' stroke-width="1.6" stroke-dasharray="6 4" opacity="0.8"'
    return "".join(
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}"{style} '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
        for run in runs
        if len(run) >= 2
    )


def _legend(chart: TrendChart, width: int, language: str) -> tuple[str, int]:
    """The series' names above the plot, wrapped onto as many rows as they need."""
    entries = [(s.label, palette.series_colour(i), False) for i, s in enumerate(chart.series)]
    if chart.previous:
        entries.append((word("previous_legend", language), palette.MUTED, True))
    if len(entries) <= 1 and not chart.previous:
        return "", 0
    parts, x, row = [], 8.0, 0
    max_chars = svg.chars_fitting(width / 2 - 40)
    for label, colour, dashed in entries:
        shown = svg.truncate(label, max_chars)
        needed = 30 + svg.text_width(shown) + 16
        if x + needed > width and x > 8:
            x, row = 8.0, row + 1
        y = _PAD_TOP + row * _LEGEND_ROW + 8
        extra = {"stroke_dasharray": "6 4"} if dashed else {}
        parts.append(svg.line(x, y, x + 24, y, colour, 2, **extra))
        parts.append(f"<g>{svg.tooltip(label)}{svg.text(x + 30, y + 4, shown)}</g>")
        x += needed
    return "".join(parts), (row + 1) * _LEGEND_ROW + 4
