"""Horizontal bars (top posts, replies per person) and the sparkline of a KPI tile.
Pure: no Django.

Bars are sorted as given (the caller knows whether "top" means most likes or fastest
replies); long labels are shortened on the chart and kept whole in the table. Negative
values grow to the left of a zero line. A previous-period value is a dark tick across
its bar, so "more than last time" is visible without reading numbers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from townsquare.analytics.charts import palette, svg
from townsquare.analytics.charts.scale import nice_ticks
from townsquare.analytics.charts.table import ChartTable
from townsquare.analytics.charts.words import (
    finite,
    format_change,
    format_compact,
    format_number,
    places_for,
    table_date,
    word,
)

WIDTH = 640
_BAR_ROW = 28


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    previous: float | None = None


@dataclass(frozen=True)
class BarChart:
    """`value_label` heads the value column ("Likes", "Replies"); `label_heading` the
    first ("Post", "Person"). With any `previous`, a previous-period column and a change
    column join the table."""

    title: str
    bars: tuple[Bar, ...]
    value_label: str
    label_heading: str = ""
    decimals: int | None = None


def _has_previous(chart: BarChart) -> bool:
    return any(finite(bar.previous) is not None for bar in chart.bars)


def bar_table(chart: BarChart, language: str) -> ChartTable:
    places = places_for(
        chart.decimals, [b.value for b in chart.bars] + [b.previous for b in chart.bars]
    )
    with_previous = _has_previous(chart)
    columns: tuple[str, ...] = (chart.label_heading, chart.value_label)
    if with_previous:
        columns += (
            word("previous", language, label=chart.value_label),
            word("change_heading", language),
        )
    rows = []
    for bar in chart.bars:
        row: tuple[str, ...] = (bar.label, format_number(bar.value, language, places))
        if with_previous:
            row += (
                format_number(bar.previous, language, places),
                format_change(bar.value, bar.previous, language),
            )
        rows.append(row)
    return ChartTable(columns=columns, rows=tuple(rows))


def describe_bars(chart: BarChart, language: str) -> str:
    present = [(finite(bar.value), bar.label) for bar in chart.bars]
    known = [(value, label) for value, label in present if value is not None]
    if not known:
        return word("no_data", language) + "."
    places = places_for(chart.decimals, [b.value for b in chart.bars])
    value, label = max(known, key=lambda pair: pair[0])
    count = (
        word("one_item", language)
        if len(chart.bars) == 1
        else word("items", language, count=str(len(chart.bars)))
    )
    largest = word("largest", language, label=label, value=format_number(value, language, places))
    return f"{chart.value_label}, {count}; {largest}."


def bar_svg(chart: BarChart, language: str, *, width: int = WIDTH) -> str:
    values = [finite(bar.value) for bar in chart.bars]
    previous = [finite(bar.previous) for bar in chart.bars]
    everything = [v for v in values + previous if v is not None]
    places = places_for(chart.decimals, [b.value for b in chart.bars])
    ticks = nice_ticks(everything, 4, whole=all(v == round(v) for v in everything))
    label_space = min(width * 0.38, 230.0)
    left, right, top = label_space + 12, width - 60.0, 22.0
    # A tenth to spare: the labels end at the bars, so a font wider than the estimate
    # (a PDF's) must not push their start out of the picture.
    max_chars = svg.chars_fitting(label_space * 0.9 - 8, svg.FONT_SIZE)
    parts = []
    for tick in ticks.values:
        x = ticks.position(tick, left, right)
        strong = tick == 0 and ticks.low < 0
        parts.append(
            svg.line(
                x,
                top - 4,
                x,
                top + len(chart.bars) * _BAR_ROW,
                palette.INK if strong else palette.GRID,
            )
        )
        parts.append(
            svg.text(
                x,
                top - 8,
                format_compact(tick, language, ticks.decimals),
                anchor="middle",
                size=svg.SMALL_FONT_SIZE,
                fill=palette.MUTED,
            )
        )
    zero = ticks.position(0.0, left, right)
    colour = palette.series_colour(0)
    for index, bar in enumerate(chart.bars):
        y = top + index * _BAR_ROW
        label = svg.truncate(bar.label, max_chars)
        parts.append(
            f"<g>{svg.tooltip(bar.label)}{svg.text(label_space, y + 18, label, anchor='end')}</g>"
        )
        value = values[index]
        if value is None:
            parts.append(
                svg.text(
                    zero + 4,
                    y + 18,
                    word("not_reported", language),
                    size=svg.SMALL_FONT_SIZE,
                    fill=palette.MUTED,
                )
            )
            continue
        end = ticks.position(value, left, right)
        shown = format_number(value, language, places)
        tip = f"{bar.label}: {shown}"
        rect = svg.rect(min(zero, end), y + 5, abs(end - zero), _BAR_ROW - 10, colour)
        parts.append(f"<g>{svg.tooltip(tip)}{rect}</g>")
        reach = [zero, end]
        before = previous[index]
        if before is not None:
            mark = ticks.position(before, left, right)
            parts.append(svg.line(mark, y + 2, mark, y + _BAR_ROW - 2, palette.INK, 2))
            reach.append(mark)
        # The number beyond both the bar and the previous period's tick, never under them.
        anchor_x = max(reach) + 5 if value >= 0 else min(reach) - 5
        parts.append(
            svg.text(
                anchor_x,
                y + 18,
                shown,
                anchor="start" if value >= 0 else "end",
                size=svg.SMALL_FONT_SIZE,
            )
        )
    if not chart.bars or not everything:
        parts.append(
            svg.text(
                width / 2, top + 18, word("no_data", language), anchor="middle", fill=palette.MUTED
            )
        )
    height = top + max(1, len(chart.bars)) * _BAR_ROW + 8
    if _has_previous(chart):
        legend_y = height + 4
        parts.append(svg.line(left, legend_y, left, legend_y + 14, palette.INK, 2))
        parts.append(
            svg.text(
                left + 8,
                legend_y + 12,
                word("previous_mark", language),
                size=svg.SMALL_FONT_SIZE,
                fill=palette.MUTED,
            )
        )
        height += 24
    description = describe_bars(chart, language)
    return svg.document(width, height, chart.title, description, "".join(parts), kind="bars")


@dataclass(frozen=True)
class Sparkline:
    """A tile's small line: no axes, the last value marked. `days` (optional) date each
    value for the table and the summary."""

    title: str
    values: tuple[float | None, ...]
    days: tuple[date, ...] = ()
    value_label: str = ""
    decimals: int | None = None


def sparkline_table(chart: Sparkline, language: str) -> ChartTable:
    places = places_for(chart.decimals, list(chart.values))
    heading = chart.value_label or word("value", language)
    rows = tuple(
        (
            table_date(chart.days[i], language) if i < len(chart.days) else str(i + 1),
            format_number(value, language, places),
        )
        for i, value in enumerate(chart.values)
    )
    return ChartTable(columns=(word("date", language) if chart.days else "#", heading), rows=rows)


def describe_sparkline(chart: Sparkline, language: str) -> str:
    known = [(i, v) for i, v in enumerate(finite(v) for v in chart.values) if v is not None]
    if not known:
        return word("no_data", language) + "."
    places = places_for(chart.decimals, list(chart.values))
    first, last = known[0][1], known[-1][1]
    text = word(
        "trend",
        language,
        first=format_number(first, language, places),
        last=format_number(last, language, places),
    )
    if len(chart.days) >= len(chart.values) and chart.values:
        text += (
            " ("
            + word(
                "range",
                language,
                first=table_date(chart.days[known[0][0]], language),
                last=table_date(chart.days[known[-1][0]], language),
            )
            + ")"
        )
    return f"{text[0].upper()}{text[1:]}."


def sparkline_svg(chart: Sparkline, language: str, *, width: int = 120, height: int = 32) -> str:
    values = [finite(v) for v in chart.values]
    present = [v for v in values if v is not None]
    low, high = min(present, default=0.0), max(present, default=0.0)
    pad = 4.0
    count = len(values)

    def x_at(i: int) -> float:
        return width / 2 if count <= 1 else pad + i * (width - 2 * pad) / (count - 1)

    def y_at(v: float) -> float:
        return (
            height / 2
            if high == low
            else height - pad - (v - low) / (high - low) * (height - 2 * pad)
        )

    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(f"{svg.num(x_at(i))},{svg.num(y_at(v))}")
    colour = palette.series_colour(0)
    parts = [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="1.5" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
        for run in runs
        if len(run) >= 2
    ]
    last = next((i for i in range(count - 1, -1, -1) if values[i] is not None), None)
    if last is not None:
        parts.append(palette.marker("circle", x_at(last), y_at(values[last] or 0.0), colour, 2.5))
    else:
        parts.append(
            svg.line(
                pad, height / 2, width - pad, height / 2, palette.GRID, 1, stroke_dasharray="3 3"
            )
        )
    digest = hashlib.sha256(repr((chart.title, chart.values)).encode()).hexdigest()[:10]
    return svg.document(
        width,
        height,
        chart.title,
        describe_sparkline(chart, language),
        "".join(parts),
        kind="sparkline",
        chart_id=f"spark-{digest}",
    )
