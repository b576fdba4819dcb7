"""Stacked shares: a bar per week or month split into its parts (networks, pillars), and a
single 100 % bar for one period. Pure: no Django.

Every part keeps its colour and, for black-and-white print and colour-blind readers, its own
hatching; the legend names them in the same order as the stack (bottom to top, left to
right). Shares cannot be negative: a negative value counts as nothing in a stack, and the
table still shows it as reported.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from townsquare.analytics.charts import palette, svg
from townsquare.analytics.charts.scale import date_labels, nice_ticks
from townsquare.analytics.charts.table import ChartTable
from townsquare.analytics.charts.trend import Series, Step
from townsquare.analytics.charts.words import (
    axis_date,
    finite,
    format_compact,
    format_number,
    format_percent,
    places_for,
    table_date,
    word,
)

WIDTH = 640
HEIGHT = 300
_LEGEND_ROW = 20


@dataclass(frozen=True)
class StackedBars:
    """A bar per period (`periods`: each period's first day), stacked from `parts`: one
    Series per part with a value per period. `percent`: every bar is 100 % (the mix), the
    table gives percentages; otherwise bars are as tall as their totals."""

    title: str
    periods: tuple[date, ...]
    parts: tuple[Series, ...]
    step: Step = "week"
    percent: bool = False
    decimals: int | None = None


@dataclass(frozen=True)
class Part:
    label: str
    value: float | None


@dataclass(frozen=True)
class ShareBar:
    """One bar of 100 %: how a whole splits into its parts (per network, per pillar)."""

    title: str
    parts: tuple[Part, ...]
    decimals: int | None = None
    label_heading: str = ""  # heads the table's first column ("Network", "Pillar")


def _positive(value: float | None) -> float:
    number = finite(value)
    return number if number is not None and number > 0 else 0.0


def _legend(labels: list[str], prefix: str, width: float, top: float) -> tuple[str, float]:
    """Swatches with names, wrapped onto rows; returns the SVG and the height it takes."""
    parts, x, row = [], 8.0, 0
    max_chars = svg.chars_fitting(width / 2 - 40)
    for index, label in enumerate(labels):
        shown = svg.truncate(label, max_chars)
        needed = 22 + svg.text_width(shown) + 16
        if x + needed > width and x > 8:
            x, row = 8.0, row + 1
        y = top + row * _LEGEND_ROW
        parts.append(_swatch(x, y, 14, 14, index, prefix))
        parts.append(f"<g>{svg.tooltip(label)}{svg.text(x + 20, y + 11, shown)}</g>")
        x += needed
    return "".join(parts), (row + 1) * _LEGEND_ROW if labels else 0.0


def _swatch(x: float, y: float, w: float, h: float, index: int, prefix: str, tip: str = "") -> str:
    """A part's rectangle: its colour, then its hatching over it."""
    pattern = palette.pattern_id(index, prefix)
    # A white edge between neighbouring segments, so equal greys in print stay apart.
    edge = {"stroke": "#ffffff", "stroke_width": "1"}
    if not pattern:
        shapes = svg.rect(x, y, w, h, palette.series_colour(index), **edge)
    else:
        shapes = svg.rect(x, y, w, h, palette.series_colour(index))
        shapes += svg.rect(x, y, w, h, f"url(#{pattern})", **edge)
    return f"<g>{svg.tooltip(tip)}{shapes}</g>" if tip else shapes


def _prefix(title: str, kind: str) -> str:
    """Pattern ids unique to this chart, so two charts on a page never share definitions."""
    return f"{kind}-{hashlib.sha256(title.encode()).hexdigest()[:8]}"


def _part_values(chart: StackedBars) -> list[list[float | None]]:
    count = len(chart.periods)
    out = []
    for part in chart.parts:
        values = [finite(v) for v in part.values[:count]]
        out.append(values + [None] * (count - len(values)))
    return out


def stacked_table(chart: StackedBars, language: str) -> ChartTable:
    values = _part_values(chart)
    first = word("period", language) if chart.step == "month" else word("date", language)
    columns = (first, *(part.label for part in chart.parts), word("total", language))
    every = [v for column in values for v in column]
    places = places_for(chart.decimals, every)
    rows = []
    for position, day in enumerate(chart.periods):
        shown_day = table_date(day, language, chart.step)
        if chart.step == "week":
            shown_day = word("week_of", language, day=shown_day)
        column = [values[i][position] for i in range(len(chart.parts))]
        total = sum(_positive(v) for v in column)
        if chart.percent:
            cells = [
                "" if v is None else format_percent(_positive(v) / total if total else 0, language)
                for v in column
            ]
        else:
            cells = [format_number(v, language, places) for v in column]
        known = any(v is not None for v in column)
        rows.append((shown_day, *cells, format_number(total, language, places) if known else ""))
    return ChartTable(columns=columns, rows=tuple(rows))


def describe_stacked(chart: StackedBars, language: str) -> str:
    values = _part_values(chart)
    totals = [sum(_positive(v) for v in column) for column in values]
    whole = sum(totals)
    if not chart.periods or not whole:
        return word("no_data", language) + "."
    first = table_date(chart.periods[0], language, chart.step)
    last = table_date(chart.periods[-1], language, chart.step)
    shares = sorted(
        ((total, part.label) for total, part in zip(totals, chart.parts, strict=True)),
        key=lambda pair: -pair[0],
    )
    listed = ", ".join(
        f"{label} {format_percent(total / whole, language)}" for total, label in shares if total
    )
    range_text = word("range", language, first=first, last=last)
    places = places_for(chart.decimals, [v for column in values for v in column])
    in_total = word("in_total", language, total=format_number(whole, language, places))
    return f"{range_text[0].upper()}{range_text[1:]}, {in_total}: {listed}."


def stacked_svg(
    chart: StackedBars, language: str, *, width: int = WIDTH, height: int = HEIGHT
) -> str:
    prefix = _prefix(chart.title, "stack")
    values = _part_values(chart)
    count = len(chart.periods)
    totals = [sum(_positive(values[i][p]) for i in range(len(chart.parts))) for p in range(count)]
    legend, legend_height = _legend([part.label for part in chart.parts], prefix, width, 10)
    top, bottom, right = 14 + legend_height, height - 26, width - 16

    if chart.percent:
        ticks = nice_ticks([0.0, 1.0], 4)
        tick_labels = [format_percent(t, language, 0) for t in ticks.values]
    else:
        ticks = nice_ticks(totals, 5, whole=all(t == round(t) for t in totals))
        tick_labels = [format_compact(t, language, ticks.decimals) for t in ticks.values]
    left = 12 + max(svg.text_width(label, svg.SMALL_FONT_SIZE) for label in tick_labels)
    parts = [legend]
    for tick, label in zip(ticks.values, tick_labels, strict=True):
        y = ticks.position(tick, bottom, top)
        parts.append(svg.line(left, y, right, y, palette.GRID))
        parts.append(
            svg.text(
                left - 6, y + 4, label, anchor="end", size=svg.SMALL_FONT_SIZE, fill=palette.MUTED
            )
        )

    slot = (right - left) / max(1, count)
    bar = min(48.0, slot * 0.7)
    places = places_for(chart.decimals, [v for column in values for v in column])
    for position in range(count):
        x = left + position * slot + (slot - bar) / 2
        base = 0.0
        period = table_date(chart.periods[position], language, chart.step)
        for index, part in enumerate(chart.parts):
            value = _positive(values[index][position])
            if not value:
                continue
            size = value / totals[position] if chart.percent else value
            y_low, y_high = (
                ticks.position(base, bottom, top),
                ticks.position(base + size, bottom, top),
            )
            shown = format_number(values[index][position], language, places)
            share = format_percent(value / totals[position], language)
            tip = f"{part.label}, {period}: {shown} ({share})"
            parts.append(_swatch(x, y_high, bar, y_low - y_high, index, prefix, tip))
            base += size
    parts.append(svg.line(left, bottom, right, bottom, palette.AXIS))

    def axis_text(day: date, with_year: bool) -> str:
        return axis_date(day, language, chart.step, with_year=with_year)

    char_width = svg.SMALL_FONT_SIZE * svg.CHAR_WIDTH
    for position, label in date_labels(chart.periods, right - left, axis_text, char_width):
        x = left + (position + 0.5) * slot
        parts.append(svg.axis_label(x, bottom + 17, label, width, palette.MUTED))
    if not any(totals):
        middle = (top + bottom) / 2
        parts.append(
            svg.text(
                (left + right) / 2,
                middle,
                word("no_data", language),
                anchor="middle",
                fill=palette.MUTED,
            )
        )
    defs = palette.pattern_defs(prefix, len(chart.parts))
    body = "".join(parts)
    description = describe_stacked(chart, language)
    return svg.document(width, height, chart.title, description, body, kind="stacked", defs=defs)


def share_table(chart: ShareBar, language: str) -> ChartTable:
    total = sum(_positive(part.value) for part in chart.parts)
    places = places_for(chart.decimals, [part.value for part in chart.parts])
    rows = tuple(
        (
            part.label,
            format_number(part.value, language, places),
            format_percent(_positive(part.value) / total if total else 0, language)
            if finite(part.value) is not None
            else "",
        )
        for part in chart.parts
    )
    known = any(finite(part.value) is not None for part in chart.parts)
    total_row = (
        word("total", language),
        format_number(total, language, places) if known else "",
        "",
    )
    if known:
        total_row = (*total_row[:2], format_percent(1.0 if total else 0, language))
    return ChartTable(
        columns=(chart.label_heading, word("value", language), word("share", language)),
        rows=(*rows, total_row),
    )


def describe_share(chart: ShareBar, language: str) -> str:
    total = sum(_positive(part.value) for part in chart.parts)
    if not total:
        return word("no_data", language) + "."
    places = places_for(chart.decimals, [part.value for part in chart.parts])
    ordered = sorted(chart.parts, key=lambda part: -_positive(part.value))
    listed = ", ".join(
        f"{part.label} {format_percent(_positive(part.value) / total, language)}"
        for part in ordered
        if _positive(part.value)
    )
    in_total = word("in_total", language, total=format_number(total, language, places))
    return f"{in_total[0].upper()}{in_total[1:]}: {listed}."


def share_svg(chart: ShareBar, language: str, *, width: int = WIDTH) -> str:
    prefix = _prefix(chart.title, "share")
    total = sum(_positive(part.value) for part in chart.parts)
    left, right, top, bar_height = 8.0, width - 8.0, 8.0, 36.0
    parts = []
    if total:
        x = left
        places = places_for(chart.decimals, [part.value for part in chart.parts])
        for index, part in enumerate(chart.parts):
            value = _positive(part.value)
            if not value:
                continue
            size = value / total * (right - left)
            share = format_percent(value / total, language)
            tip = f"{part.label}: {format_number(part.value, language, places)} ({share})"
            parts.append(_swatch(x, top, size, bar_height, index, prefix, tip))
            if size >= svg.text_width(share) + 10:
                # The share written on its segment, on a plate so the hatching does not cut it.
                plate_width = svg.text_width(share) + 6
                parts.append(
                    svg.rect(
                        x + size / 2 - plate_width / 2,
                        top + 10,
                        plate_width,
                        17,
                        "#ffffff",
                        opacity="0.85",
                    )
                )
                parts.append(svg.text(x + size / 2, top + 23, share, anchor="middle"))
            x += size
    else:
        parts.append(svg.rect(left, top, right - left, bar_height, f"url(#{prefix}-empty)"))
        parts.append(
            svg.text(
                width / 2, top + 23, word("no_data", language), anchor="middle", fill=palette.MUTED
            )
        )
    labels = [
        f"{part.label} {format_percent(_positive(part.value) / total, language)}"
        if total
        else part.label
        for part in chart.parts
    ]
    legend, legend_height = _legend(labels, prefix, width, top + bar_height + 12)
    parts.append(legend)
    height = top + bar_height + 12 + legend_height + 4
    defs = palette.pattern_defs(prefix, len(chart.parts)) + palette.empty_pattern(prefix)
    return svg.document(
        width,
        height,
        chart.title,
        describe_share(chart, language),
        "".join(parts),
        kind="share",
        defs=defs,
    )
