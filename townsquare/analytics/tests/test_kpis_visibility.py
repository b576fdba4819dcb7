"""Periods, comparisons and the visibility KPIs (pure)."""

from datetime import date

import pytest

from townsquare.analytics.kpis.periods import (
    Comparison,
    Period,
    known_sum,
    percent,
    quantile,
    ratio,
)
from townsquare.analytics.kpis.visibility import VisibilityInput, visibility


def test_the_previous_period_has_the_same_number_of_days_and_ends_the_day_before():
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert march.previous() == Period(date(2026, 1, 29), date(2026, 2, 28))
    assert march.previous().days == 31
    one_day = Period(date(2026, 3, 1), date(2026, 3, 1))
    assert one_day.previous() == Period(date(2026, 2, 28), date(2026, 2, 28))


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="period_ends_before_it_starts"):
        Period(date(2026, 3, 2), date(2026, 3, 1))


def test_a_period_contains_its_first_and_last_day_only():
    week = Period(date(2026, 3, 23), date(2026, 3, 29))
    assert date(2026, 3, 23) in week and date(2026, 3, 29) in week
    assert date(2026, 3, 30) not in week
    assert len(week.day_list()) == 7


def test_a_comparison_gives_the_change_and_its_percentage():
    rise = Comparison(value=150, previous=100)
    assert rise.change == 50
    assert rise.change_percent == 50.0
    fall = Comparison(value=-30, previous=-20)
    assert fall.change_percent == -50.0


def test_a_rise_from_nothing_or_from_the_unknown_has_no_percentage():
    assert Comparison(value=10, previous=0).change == 10
    assert Comparison(value=10, previous=0).change_percent is None
    assert Comparison(value=10, previous=None).change is None
    assert Comparison(value=None, previous=10).change_percent is None


def test_dividing_by_zero_or_by_the_unknown_gives_unknown_not_zero():
    assert ratio(5, 0) is None
    assert ratio(None, 3) is None
    assert percent(1, 4) == 25.0
    assert percent(0, 4) == 0.0


def test_a_sum_of_unknowns_is_unknown_but_a_sum_with_a_zero_is_zero():
    assert known_sum([None, None]) is None
    assert known_sum([None, 0]) == 0


def test_quantiles_interpolate_between_the_closest_ranks():
    assert quantile([], 0.5) is None
    assert quantile([7], 0.9) == 7
    assert quantile([1, 2, 3, 4], 0.5) == 2.5
    assert quantile(list(range(1, 11)), 0.9) == pytest.approx(9.1)
    with pytest.raises(ValueError):
        quantile([1], 1.5)


def test_without_any_data_every_visibility_figure_is_unknown():
    found = visibility([], [])
    assert found.headline.value is None
    assert found.reach.value is None and found.link_clicks.previous is None
    assert found.networks == ()


def test_networks_that_report_nothing_show_unknown_never_zero():
    bluesky = VisibilityInput("bluesky", account_days={"impressions": None}, posts={})
    found = visibility([bluesky], [bluesky])
    assert found.impressions.value is None
    assert found.networks[0].figures["views"].value is None


def test_the_accounts_daily_counts_win_over_the_posts_counters():
    x = VisibilityInput("x", account_days={"impressions": 1200}, posts={"impressions": 900})
    found = visibility([x], [])
    assert found.impressions.value == 1200
    assert found.headline_metric == "impressions"


def test_the_posts_counters_count_where_the_account_reports_no_day_counts():
    linkedin = VisibilityInput("linkedin_page", account_days={}, posts={"impressions": 400})
    x = VisibilityInput("x", account_days={"impressions": 100}, posts={})
    found = visibility([linkedin, x], [x])
    assert found.impressions.value == 500
    assert found.impressions.previous == 100
    assert [n.network for n in found.networks] == ["linkedin_page", "x"]
    assert found.networks[0].figures["impressions"].previous is None


def test_the_headline_is_views_where_no_network_reports_impressions():
    instagram = VisibilityInput("instagram", account_days={"views": 3000, "reach": 800})
    found = visibility([instagram], [])
    assert found.headline_metric == "views"
    assert found.headline.value == 3000
    assert found.figure("reach").value == 800
    with pytest.raises(KeyError):
        found.figure("likes")
