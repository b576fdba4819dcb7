"""Charts drawn on the server as SVG: frozen dataclasses in, an SVG string and a table out.

Pure: no Django, no script, no external font. Every chart is announced as one image
(role="img", <title>, <desc> summarising the data), scales to its container's width, uses
colours colour-blind readers and black-and-white printers tell apart, and yields its data as
a `ChartTable` (the "Table" view, and the CSV download through `to_csv`), numbers formatted
for the reader's language ("de" or "en").

    rendered = render(TrendChart(...), "de")
    rendered.svg      # the <svg> (escaped: safe to put in a page as is)
    rendered.table    # ChartTable(columns, rows)
    to_csv(rendered.table)

The template partial analytics/partials/chart.html shows a rendered chart with its
Table/Chart toggle and the CSV link the page gives it.
"""

from __future__ import annotations

from dataclasses import dataclass

from townsquare.analytics.charts.table import ChartTable, safe_cell, to_csv
from townsquare.analytics.charts.trend import Series, TrendChart, trend_svg, trend_table

Chart = TrendChart


@dataclass(frozen=True)
class RenderedChart:
    title: str
    svg: str
    table: ChartTable
    kind: str


def render(chart: Chart, language: str) -> RenderedChart:
    """The chart as SVG and as a table, in the reader's language."""
    if isinstance(chart, TrendChart):
        return RenderedChart(
            chart.title, trend_svg(chart, language), trend_table(chart, language), "trend"
        )
    raise TypeError(f"not a chart: {type(chart).__name__}")


__all__ = [
    "ChartTable",
    "RenderedChart",
    "Series",
    "TrendChart",
    "render",
    "safe_cell",
    "to_csv",
    "trend_svg",
    "trend_table",
]
