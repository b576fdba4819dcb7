"""The weekday x hour heatmap: 7 rows (Monday first) of 24 hours. Pure: no Django.

One hue from light to dark carries the value, so it reads in grey print and with every
colour-vision deficiency; a cell without data (no post in that hour) is hatched, unlike
any value, so "nothing measured" never looks like "measured nothing". A legend gives the
scale and the hatching's meaning.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from townsquare.analytics.charts import palette, svg
from townsquare.analytics.charts.table import ChartTable
from townsquare.analytics.charts.words import (
    finite,
    format_number,
    hour_label,
    places_for,
    weekday_name,
    word,
)

WIDTH = 640


@dataclass(frozen=True)
class Heatmap:
    """`values[weekday][hour]`, Monday = 0, local hours 0-23; None = no data in that slot.

    `value_label` names what a cell holds ("Engagements per post"); `counts`, if given,
    how many posts each cell rests on (shown when pointing at it, with `count_label`).
    Missing rows or hours count as no data.
    """

    title: str
    values: tuple[tuple[float | None, ...], ...]
    value_label: str
    counts: tuple[tuple[int, ...], ...] = ()
    count_label: str = ""
    decimals: int | None = None


def _grid(chart: Heatmap) -> list[list[float | None]]:
    grid = []
    for weekday in range(7):
        row = chart.values[weekday] if weekday < len(chart.values) else ()
        grid.append([finite(row[hour]) if hour < len(row) else None for hour in range(24)])
    return grid


def _count(chart: Heatmap, weekday: int, hour: int) -> int | None:
    if weekday < len(chart.counts) and hour < len(chart.counts[weekday]):
        return chart.counts[weekday][hour]
    return None


def _places(chart: Heatmap, grid: list[list[float | None]]) -> int:
    return places_for(chart.decimals, (v for row in grid for v in row))


def heatmap_table(chart: Heatmap, language: str) -> ChartTable:
    """The grid as the chart shows it: a row per weekday, a column per hour."""
    grid = _grid(chart)
    places = _places(chart, grid)
    columns = (word("weekday", language), *(hour_label(hour) for hour in range(24)))
    rows = tuple(
        (
            weekday_name(weekday, language),
            *(format_number(v, language, places) for v in grid[weekday]),
        )
        for weekday in range(7)
    )
    return ChartTable(columns=columns, rows=rows)


def describe_heatmap(chart: Heatmap, language: str) -> str:
    grid = _grid(chart)
    present = [(v, d, h) for d, row in enumerate(grid) for h, v in enumerate(row) if v is not None]
    if not present:
        return word("no_data", language) + "."
    value, weekday, hour = max(present, key=lambda cell: (cell[0], -cell[1], -cell[2]))
    shown = format_number(value, language, _places(chart, grid))
    busiest = word(
        "busiest",
        language,
        weekday=weekday_name(weekday, language),
        hour=hour_label(hour),
        value=shown,
    )
    empty = 168 - len(present)
    sentence = f"{chart.value_label}: {busiest}."
    if empty:
        sentence += " " + word("cells_empty", language, count=str(empty)) + "."
    return sentence


def heatmap_svg(chart: Heatmap, language: str, *, width: int = WIDTH) -> str:
    grid = _grid(chart)
    places = _places(chart, grid)
    prefix = "heat-" + hashlib.sha256(chart.title.encode()).hexdigest()[:8]
    present = [v for row in grid for v in row if v is not None]
    low = min([0.0, *present])
    high = max([0.0, *present])
    label_width = 8 + max(
        svg.text_width(weekday_name(d, language), svg.SMALL_FONT_SIZE) for d in range(7)
    )
    left, top = label_width + 6, 22.0
    cell_width = (width - left - 8) / 24
    cell_height = 24.0
    parts = []
    for hour in range(0, 24, 3):
        x = left + (hour + 0.5) * cell_width
        parts.append(
            svg.text(
                x,
                top - 7,
                hour_label(hour)[:2],
                anchor="middle",
                size=svg.SMALL_FONT_SIZE,
                fill=palette.MUTED,
            )
        )
    for weekday in range(7):
        y = top + weekday * cell_height
        name = weekday_name(weekday, language)
        parts.append(
            svg.text(
                left - 6, y + cell_height / 2 + 4, name, anchor="end", size=svg.SMALL_FONT_SIZE
            )
        )
        for hour in range(24):
            value = grid[weekday][hour]
            x = left + hour * cell_width
            where = f"{name} {hour_label(hour)}"
            if value is None:
                fill, tip = f"url(#{prefix}-empty)", f"{where}: {word('not_reported', language)}"
            else:
                fill = palette.sequential((value - low) / (high - low) if high > low else 0.0)
                tip = f"{where}: {chart.value_label} {format_number(value, language, places)}"
            count = _count(chart, weekday, hour)
            if count is not None and chart.count_label:
                tip += f" ({chart.count_label} {format_number(count, language, 0)})"
            cell = svg.rect(x + 0.5, y + 0.5, cell_width - 1, cell_height - 1, fill)
            parts.append(f"<g>{svg.tooltip(tip)}{cell}</g>")
    legend_top = top + 7 * cell_height + 14
    legend, legend_height = _legend(
        chart, language, low, high, places, prefix, left, legend_top, width
    )
    parts.append(legend)
    height = legend_top + legend_height
    defs = palette.empty_pattern(prefix)
    description = describe_heatmap(chart, language)
    return svg.document(
        width, height, chart.title, description, "".join(parts), kind="heatmap", defs=defs
    )


def _legend(
    chart: Heatmap,
    language: str,
    low: float,
    high: float,
    places: int,
    prefix: str,
    left: float,
    top: float,
    width: float,
) -> tuple[str, float]:
    """The ramp from the lowest to the highest value, then the hatched "no data" swatch."""
    steps = len(palette.SEQUENTIAL)
    swatch = 18.0
    name = svg.truncate(chart.value_label, 30)
    parts = [svg.text(left, top + 12, name, size=svg.SMALL_FONT_SIZE, fill=palette.MUTED)]
    x = left + svg.text_width(name, svg.SMALL_FONT_SIZE) + 10
    parts.append(
        svg.text(
            x,
            top + 30,
            format_number(low, language, places),
            size=svg.SMALL_FONT_SIZE,
            fill=palette.MUTED,
        )
    )
    for index, colour in enumerate(palette.SEQUENTIAL):
        parts.append(
            svg.rect(
                x + index * swatch, top, swatch, 14, colour, stroke="#d0d7de", stroke_width="0.5"
            )
        )
    end = x + steps * swatch
    parts.append(
        svg.text(
            end,
            top + 30,
            format_number(high, language, places),
            anchor="end",
            size=svg.SMALL_FONT_SIZE,
            fill=palette.MUTED,
        )
    )
    # The hatching's meaning beside the scale, or on a row of its own where it does not fit.
    empty_label = word("no_data_cell", language)
    empty_x, empty_top = end + 24, top
    if empty_x + swatch + 6 + svg.text_width(empty_label, svg.SMALL_FONT_SIZE) > width:
        empty_x, empty_top = left, top + 40
    hatched = f"url(#{prefix}-empty)"
    parts.append(
        svg.rect(empty_x, empty_top, swatch, 14, hatched, stroke="#8c959f", stroke_width="0.5")
    )
    parts.append(
        svg.text(empty_x + swatch + 6, empty_top + 12, empty_label, size=svg.SMALL_FONT_SIZE)
    )
    return "".join(parts), empty_top - top + 40
