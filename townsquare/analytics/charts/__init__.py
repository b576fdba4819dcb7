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

from townsquare.analytics.charts.bars import (
    Bar,
    BarChart,
    Sparkline,
    bar_svg,
    bar_table,
    sparkline_svg,
    sparkline_table,
)
from townsquare.analytics.charts.heatmap import Heatmap, heatmap_svg, heatmap_table
from townsquare.analytics.charts.stacked import (
    Part,
    ShareBar,
    StackedBars,
    share_svg,
    share_table,
    stacked_svg,
    stacked_table,
)
from townsquare.analytics.charts.table import ChartTable, safe_cell, to_csv
from townsquare.analytics.charts.trend import Series, TrendChart, trend_svg, trend_table
from townsquare.analytics.charts.words import (
    format_change,
    format_compact,
    format_number,
    format_percent,
    weekday_name,
)

Chart = TrendChart | StackedBars | ShareBar | Heatmap | BarChart | Sparkline


@dataclass(frozen=True)
class RenderedChart:
    title: str
    svg: str
    table: ChartTable
    kind: str


def render(chart: Chart, language: str, *, width: int | None = None) -> RenderedChart:
    """The chart as SVG and as a table, in the reader's language ("de" or "en").

    `width`: the drawing's width in its own units (default 640, a sparkline 120). The SVG
    always fills its container; a narrower drawing has larger text relative to it, for a
    chart shown in a narrow column.
    """
    sized = {"width": width} if width else {}
    if isinstance(chart, TrendChart):
        svg, table = trend_svg(chart, language, **sized), trend_table(chart, language)
    elif isinstance(chart, StackedBars):
        svg, table = stacked_svg(chart, language, **sized), stacked_table(chart, language)
    elif isinstance(chart, ShareBar):
        svg, table = share_svg(chart, language, **sized), share_table(chart, language)
    elif isinstance(chart, Heatmap):
        svg, table = heatmap_svg(chart, language, **sized), heatmap_table(chart, language)
    elif isinstance(chart, BarChart):
        svg, table = bar_svg(chart, language, **sized), bar_table(chart, language)
    elif isinstance(chart, Sparkline):
        svg, table = sparkline_svg(chart, language, **sized), sparkline_table(chart, language)
    else:
        raise TypeError(f"not a chart: {type(chart).__name__}")
    return RenderedChart(chart.title, svg, table, _KINDS[type(chart)])


_KINDS: dict[type, str] = {
    TrendChart: "trend",
    StackedBars: "stacked",
    ShareBar: "share",
    Heatmap: "heatmap",
    BarChart: "bars",
    Sparkline: "sparkline",
}


__all__ = [
    "Bar",
    "BarChart",
    "Chart",
    "ChartTable",
    "Heatmap",
    "Part",
    "RenderedChart",
    "Series",
    "ShareBar",
    "Sparkline",
    "StackedBars",
    "TrendChart",
    "format_change",
    "format_compact",
    "format_number",
    "format_percent",
    "render",
    "safe_cell",
    "to_csv",
    "weekday_name",
]
