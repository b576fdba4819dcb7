"""The chart partial: the picture, its table behind a switch that needs no JavaScript, and
the page's CSV link; in German for German readers."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from townsquare.analytics.charts import Bar, BarChart, Series, TrendChart, render


def chart_html(language: str, **context: object) -> str:
    chart = TrendChart(
        "Likes <&>", (date(2026, 12, 1), date(2026, 12, 2)), (Series("Bluesky", (1234.0, None)),)
    )
    with translation.override(language):
        return render_to_string(
            "analytics/partials/chart.html",
            {"chart": render(chart, language), "csv_url": "/x/likes.csv?a=1&b=2", **context},
        )


def test_the_partial_shows_the_chart_its_table_behind_a_switch_and_the_csv_link() -> None:
    html = chart_html("en")
    assert html.count("<svg") == 1 and 'role="img"' in html
    assert "<details" in html and "<summary>" in html and " open" not in html.split("<summary>")[0]
    assert '<th scope="col">Bluesky</th>' in html
    assert '<th scope="row">1 Dec 2026</th><td>1,234</td>' in html
    assert "<td>–</td>" in html  # not reported: a dash, not 0
    assert 'href="/x/likes.csv?a=1&amp;b=2" download' in html
    assert "Likes &lt;&amp;&gt;" in html and "Likes <&>" not in html
    assert "<script" not in html


def test_asking_for_the_table_view_opens_it() -> None:
    assert '<details class="ts-chart-table" open>' in chart_html("en", view="table")
    assert '<details class="ts-chart-table" open>' in chart_html("en", view="tables")


def test_german_readers_get_german_switch_texts_and_numbers() -> None:
    html = chart_html("de")
    assert "Tabelle" in html and "Diagramm" in html
    assert '<th scope="row">01.12.2026</th><td>1.234</td>' in html


def test_a_chart_without_rows_says_there_is_no_data() -> None:
    with translation.override("de"):
        html = render_to_string(
            "analytics/partials/chart.html",
            {"chart": render(BarChart("Top", (), "Likes"), "de"), "csv_url": ""},
        )
    assert "Keine Daten für diesen Zeitraum" in html and "download" not in html
    rendered = render(BarChart("Top", (Bar("A", 1.0),), "Likes"), "de")
    assert rendered.kind == "bars"
