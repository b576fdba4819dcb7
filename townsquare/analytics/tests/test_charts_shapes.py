"""Stacked shares, the weekday x hour heatmap, horizontal bars and the sparkline: every one
well-formed whatever the data, its numbers in its table, in the reader's language."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from townsquare.analytics.charts import (
    Bar,
    BarChart,
    Chart,
    Heatmap,
    Part,
    Series,
    ShareBar,
    Sparkline,
    StackedBars,
    TrendChart,
    render,
)

SVG = "{http://www.w3.org/2000/svg}"
MONDAYS = tuple(date(2026, 11, 2) + timedelta(weeks=i) for i in range(3))
NASTY = 'Fish & "chips" <b>' + " and more" * 12


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("viewBox")
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def description(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]


def empty_charts() -> list[Chart]:
    return [
        TrendChart("t", (), ()),
        StackedBars("s", (), ()),
        StackedBars("s", MONDAYS, (Series("A", (0.0, 0.0, 0.0)), Series("B", (None,) * 3))),
        ShareBar("p", ()),
        ShareBar("p", (Part("A", 0.0), Part("B", None))),
        Heatmap("h", (), "Likes"),
        BarChart("b", (), "Likes"),
        BarChart("b", (Bar("A", None),), "Likes"),
        Sparkline("k", ()),
        Sparkline("k", (None, float("nan"))),
    ]


@pytest.mark.parametrize("chart", empty_charts(), ids=lambda c: type(c).__name__)
def test_empty_or_zero_data_draws_a_chart_without_nan_or_infinity(chart: Chart) -> None:
    rendered = render(chart, "en")
    root = parsed(rendered.svg)
    lowered = rendered.svg.lower()
    assert "nan" not in lowered and "infinity" not in lowered and "inf " not in lowered
    assert "No data" in description(root)
    for row in rendered.table.rows:
        assert all("nan" not in cell.lower() for cell in row)


@pytest.mark.parametrize(
    "chart",
    [
        TrendChart(
            NASTY, MONDAYS, (Series(NASTY, (1.0, 2.0, 3.0)), Series("B", (1.0,))), step="week"
        ),
        StackedBars(NASTY, MONDAYS, (Series(NASTY, (1.0, 2.0, 3.0)),)),
        ShareBar(NASTY, (Part(NASTY, 3.0), Part("B", 1.0))),
        Heatmap(NASTY, ((1.0,) * 24,) * 7, NASTY),
        BarChart(NASTY, (Bar(NASTY, 5.0),), NASTY, NASTY),
        Sparkline(NASTY, (1.0, 2.0)),
    ],
    ids=lambda c: type(c).__name__,
)
def test_labels_with_markup_are_escaped_and_long_ones_shortened(chart: Chart) -> None:
    rendered = render(chart, "en")
    root = parsed(rendered.svg)
    assert "<b>" not in rendered.svg
    assert root.find(f"{SVG}title").text == NASTY  # type: ignore[union-attr]
    drawn = [t for t in texts(root) if t.startswith("Fish")]
    assert all(len(t) <= 60 for t in drawn)
    if not isinstance(chart, Sparkline):
        assert drawn, "the label is on the chart, shortened"
    if not isinstance(chart, (Sparkline, Heatmap)):
        cells = rendered.table.columns + tuple(c for r in rendered.table.rows for c in r)
        assert NASTY in cells, "the table keeps the whole name"


def test_stacked_bars_give_each_part_per_week_and_the_total_in_the_table() -> None:
    chart = StackedBars(
        "Engagements",
        MONDAYS,
        (Series("Bluesky", (1200.0, 3.0, None)), Series("Mastodon", (800.0, 1.0, None))),
    )
    table = render(chart, "de").table
    assert table.columns == ("Datum", "Bluesky", "Mastodon", "Summe")
    assert table.rows == (
        ("Woche ab 02.11.2026", "1.200", "800", "2.000"),
        ("Woche ab 09.11.2026", "3", "1", "4"),
        ("Woche ab 16.11.2026", "", "", ""),
    )
    root = parsed(render(chart, "de").svg)
    assert "Bluesky 60,0\u00a0%" in description(root)
    assert any(t.endswith("2.000") or t == "2.000" for t in texts(root))  # the axis


def test_a_mix_over_months_shows_percentages_and_hatches_every_part_but_the_first() -> None:
    months = (date(2026, 10, 1), date(2026, 11, 1))
    parts = tuple(Series(f"Pillar {i}", (1.0, 3.0)) for i in range(4))
    chart = StackedBars("Mix", months, parts, step="month", percent=True)
    rendered = render(chart, "en")
    assert rendered.table.rows[0] == ("Oct 2026", "25.0%", "25.0%", "25.0%", "25.0%", "4")
    root = parsed(rendered.svg)
    assert len(root.findall(f".//{SVG}pattern")) == 3
    assert "100%" in texts(root)


def test_negative_parts_count_as_nothing_in_a_stack_but_stay_in_the_table() -> None:
    chart = StackedBars("Growth", MONDAYS[:1], (Series("A", (-5.0,)), Series("B", (5.0,))))
    rendered = render(chart, "en")
    parsed(rendered.svg)
    assert rendered.table.rows[0] == ("Week of 2 Nov 2026", "\u22125", "5", "5")


def test_a_share_bar_gives_values_and_shares_that_add_up_to_the_whole() -> None:
    chart = ShareBar("Posts per network", (Part("Bluesky", 3.0), Part("Matrix", 1.0)))
    rendered = render(chart, "en")
    assert rendered.table.columns == ("", "Value", "Share")
    assert rendered.table.rows == (
        ("Bluesky", "3", "75.0%"),
        ("Matrix", "1", "25.0%"),
        ("Total", "4", "100.0%"),
    )
    root = parsed(rendered.svg)
    assert "75.0%" in texts(root)
    assert description(root) == "4 in total: Bluesky 75.0%, Matrix 25.0%."


def test_the_heatmap_names_weekdays_in_the_language_and_hatches_empty_hours() -> None:
    values = tuple(tuple(None if hour < 6 else float(hour) for hour in range(24)) for _ in range(7))
    values = ((0.0,) * 24, *values[1:])  # Monday measured nothing, which is not "no data"
    chart = Heatmap("Best time", values, "Engagements per post", count_label="Posts")
    rendered = render(chart, "de")
    root = parsed(rendered.svg)
    assert {"Montag", "Sonntag", "keine Daten (schraffiert)"} <= set(texts(root))
    assert rendered.table.columns[:3] == ("Wochentag", "00:00", "01:00")
    assert rendered.table.rows[0][1] == "0" and rendered.table.rows[1][1] == ""
    assert rendered.table.rows[6][-1] == "23"
    fills = [r.get("fill", "") for r in root.iter(f"{SVG}rect")]
    hatched = [f for f in fills if f.endswith("-empty)")]
    assert len(hatched) == 6 * 6 + 1  # six empty hours on six days, and the legend
    assert fills.count("#eff3ff") >= 24  # Monday's zeros: the lightest colour of the scale
    assert "am höchsten am Dienstag um 23:00 mit 23" in description(root)
    assert "36 von 168 Stunden ohne Daten" in description(root)


def test_bars_show_the_previous_period_and_the_change_also_when_it_fell() -> None:
    chart = BarChart(
        "Replies per person",
        (Bar("Alice", 1500.5, 1000.0), Bar("Bob", 20.0, 40.0), Bar("Carol", -3.0)),
        "Replies",
        "Person",
    )
    rendered = render(chart, "en")
    assert rendered.table.columns == ("Person", "Replies", "Replies (previous period)", "Change")
    assert rendered.table.rows == (
        ("Alice", "1,500.5", "1,000.0", "+50.0%"),
        ("Bob", "20.0", "40.0", "\u221250.0%"),
        ("Carol", "\u22123.0", "", ""),
    )
    root = parsed(rendered.svg)
    assert "1,500.5" in texts(root) and "\u22123.0" in texts(root)
    assert "largest: Alice, 1,500.5" in description(root)


def test_a_sparkline_is_small_and_summarises_its_first_and_last_value() -> None:
    days = tuple(date(2026, 12, 1) + timedelta(days=i) for i in range(3))
    chart = Sparkline("Followers", (1000.0, None, 1250.0), days, value_label="Followers")
    rendered = render(chart, "de")
    root = parsed(rendered.svg)
    assert root.get("viewBox") == "0 0 120 32"
    assert description(root) == "Von 1.000 auf 1.250 (vom 01.12.2026 bis 03.12.2026)."
    assert rendered.table.rows == (
        ("01.12.2026", "1.000"),
        ("02.12.2026", ""),
        ("03.12.2026", "1.250"),
    )
    one = parsed(render(Sparkline("F", (7.0,)), "en").svg)
    assert one.findall(f".//{SVG}circle"), "a single value is a visible point"


def test_control_characters_pasted_into_a_label_do_not_break_the_svg() -> None:
    label = "Bell\x07 and escape\x1b and null\x00 and \ufffe"
    chart = ShareBar(label, (Part(label, 1.0),), label_heading="Network")
    rendered = render(chart, "en")
    root = parsed(rendered.svg)
    assert (root.find(f"{SVG}title").text or "").startswith("Bell and escape")  # type: ignore[union-attr]
    assert rendered.table.columns[0] == "Network"
