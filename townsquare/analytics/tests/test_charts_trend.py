"""The trend line: well-formed SVG whatever the data, its numbers in the table, and the
reader's language on the axis and in the summary."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from townsquare.analytics.charts import ChartTable, Series, TrendChart, render, to_csv

SVG = "{http://www.w3.org/2000/svg}"


def days(count: int, first: date = date(2026, 11, 1)) -> tuple[date, ...]:
    return tuple(first + timedelta(days=i) for i in range(count))


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def all_text(root: ET.Element) -> str:
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def test_a_trend_is_one_accessible_image_that_scales_to_its_container() -> None:
    chart = TrendChart("Impressions", days(3), (Series("Bluesky", (1.0, 2.0, 3.0)),))
    root = parsed(render(chart, "en").svg)
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") is None and root.get("height") is None
    assert root.find(f"{SVG}title").text == "Impressions"  # type: ignore[union-attr]
    title_id, desc_id = root.get("aria-labelledby", "").split()
    named = {e.get("id") for e in root if e.tag in (f"{SVG}title", f"{SVG}desc")}
    assert {title_id, desc_id} == named
    assert "<script" not in render(chart, "en").svg and "@import" not in render(chart, "en").svg


def test_the_table_carries_every_value_and_the_previous_period_beside_it() -> None:
    chart = TrendChart(
        "Likes",
        days(3),
        (Series("Bluesky", (1200.0, None, 3.0)),),
        previous=(Series("Bluesky", (1000.0, 5.0, 7.0)),),
    )
    table = render(chart, "en").table
    assert table.columns == ("Date", "Bluesky", "Bluesky (previous period)")
    assert table.rows == (
        ("1 Nov 2026", "1,200", "1,000"),
        ("2 Nov 2026", "", "5"),
        ("3 Nov 2026", "3", "7"),
    )


def test_german_readers_get_german_numbers_dates_and_words() -> None:
    chart = TrendChart(
        "Impressionen",
        days(2, date(2026, 12, 6)),
        (Series("Mastodon", (1234.5, 20000.25)),),
        previous=(Series("Mastodon", (1000.0, 1000.0)),),
    )
    rendered = render(chart, "de")
    assert rendered.table.columns == ("Datum", "Mastodon", "Mastodon (Vorperiode)")
    assert rendered.table.rows[0] == ("06.12.2026", "1.234,5", "1.000")
    root = parsed(rendered.svg)
    assert "6. Dez." in all_text(root)
    assert "20.000" in all_text(root)  # the axis
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "insgesamt 21.234,8" in desc
    assert "+961,7\u00a0% gegenüber der Vorperiode" in desc


def test_no_data_draws_an_empty_chart_that_says_so_without_nan() -> None:
    for chart in (
        TrendChart("Reach", (), ()),
        TrendChart("Reach", days(5), (Series("X", (None,) * 5),)),
        TrendChart("Reach", days(3), (Series("X", (float("nan"), float("inf"), None)),)),
    ):
        svg = render(chart, "en").svg
        root = parsed(svg)
        assert "No data for this period" in all_text(root)
        assert "nan" not in svg.lower() and "inf" not in svg.lower()


def test_zeros_and_a_single_point_stay_on_the_chart() -> None:
    for values in ((0.0, 0.0, 0.0), (42.0,)):
        series = (Series("Bluesky", values),)
        chart = TrendChart("Followers", days(len(values)), series, summable=False)
        svg = render(chart, "en").svg
        root = parsed(svg)
        assert "nan" not in svg.lower()
        assert root.findall(f".//{SVG}circle"), "each value has a visible point"
    one = render(TrendChart("Followers", days(1), (Series("B", (42.0,)),), summable=False), "en")
    assert "latest 42" in (parsed(one.svg).find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_negative_values_extend_the_axis_below_zero() -> None:
    chart = TrendChart("Net growth", days(3), (Series("Bluesky", (-120.0, 40.0, -3.5)),))
    rendered = render(chart, "en")
    root = parsed(rendered.svg)
    assert "\u2212" in all_text(root)  # a tick below zero, with a minus sign
    assert rendered.table.rows[0][1] == "\u2212120.0"
    assert not to_csv(rendered.table).count("'\u2212"), "a minus sign is no formula"


def test_labels_are_escaped_and_long_ones_shortened_in_the_legend() -> None:
    nasty = 'Fish & "chips" <script>alert(1)</script> ' + "very long " * 10
    chart = TrendChart(nasty, days(2), (Series(nasty, (1.0, 2.0)), Series("B", (2.0, 1.0))))
    rendered = render(chart, "en")
    root = parsed(rendered.svg)
    assert "<script>" not in rendered.svg
    assert root.find(f"{SVG}title").text == nasty  # type: ignore[union-attr]
    legend = [t for t in root.iter(f"{SVG}text") if (t.text or "").startswith("Fish")]
    assert legend
    assert all(len(t.text or "") < 60 and (t.text or "").endswith("\u2026") for t in legend)
    assert rendered.table.columns[1] == nasty  # the table keeps the whole name


def test_a_gap_between_values_breaks_the_line_and_an_isolated_value_keeps_its_point() -> None:
    values = tuple(float(i) if i not in (3, 5) else None for i in range(60))
    root = parsed(render(TrendChart("Views", days(60), (Series("A", values),)), "en").svg)
    assert len(root.findall(f".//{SVG}polyline")) == 2  # 0-2 and 6-59; 4 stands alone
    marked = [
        g.findtext(f"{SVG}title")
        for g in root.iter(f"{SVG}g")
        if g.find(f"{SVG}circle") is not None
    ]
    assert "A, 5 Nov 2026: 4" in marked, "the value standing alone keeps its point"
    assert len(marked) == 19 + 1, "every third of 60 days marked (day 3 has none) and day 4"


def test_csv_neutralises_formulas_and_follows_rfc_4180() -> None:
    table = ChartTable(("Post", "Likes"), (("=HYPERLINK(1)", "+5"), ('Say "hi", all', "@x")))
    assert to_csv(table) == 'Post,Likes\r\n\'=HYPERLINK(1),\'+5\r\n"Say ""hi"", all",\'@x\r\n'
    assert not to_csv(table).startswith("\ufeff")


def test_an_axis_crossing_into_a_new_year_names_the_years() -> None:
    weeks = tuple(date(2025, 12, 1) + timedelta(weeks=i) for i in range(20))
    chart = TrendChart("Followers", weeks, (Series("B", tuple(range(20))),), step="week")
    labels = all_text(parsed(render(chart, "de").svg))
    assert "1. Dez. 2025" in labels and "2026" in labels
    same_year = TrendChart("F", days(20), (Series("B", tuple(range(20))),))
    assert "2026" not in all_text(parsed(render(same_year, "en").svg))


def test_a_level_like_followers_is_drawn_around_its_values_not_from_zero() -> None:
    chart = TrendChart("Followers", days(3), (Series("B", (10000, 10400, 10800)),), summable=False)
    ticks = [t for t in all_text(parsed(render(chart, "en").svg)).split() if t[0].isdigit()]
    assert "0" not in ticks and "10,000" in ticks
