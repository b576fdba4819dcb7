"""Plan vs actual (goals, cadence) and the figures behind the charts: series, shares, the
weekday x hour matrix (pure)."""

from datetime import date

import pytest

from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.kpis.plan import GoalInput, GoalStatus, cadence, goal_progress
from townsquare.analytics.kpis.series import (
    SlotCount,
    daily_series,
    matrix_rows,
    shares,
    weekday_hour_matrix,
    weekly,
)
from townsquare.compliance.figures import Counts, week_rows

START, DUE = date(2026, 1, 1), date(2026, 12, 31)


def goal(metric: str, target: float, baseline: float | None = None) -> GoalInput:
    return GoalInput(1, metric, "", target, baseline, START, DUE)


def test_a_goal_is_reached_when_the_actual_meets_the_target():
    found = goal_progress(goal("follower_growth", 500), 520, date(2026, 6, 1))
    assert found.status is GoalStatus.REACHED
    assert found.progress == pytest.approx(104.0)


def test_a_goal_keeps_up_when_its_progress_matches_the_time_passed():
    halfway = date(2026, 7, 2)
    on_track = goal_progress(goal("reach", 10_000), 6_000, halfway)
    assert on_track.status is GoalStatus.ON_TRACK
    assert on_track.expected == pytest.approx(50.0, abs=0.5)
    assert goal_progress(goal("reach", 10_000), 2_000, halfway).status is GoalStatus.BEHIND


def test_progress_is_counted_from_the_baseline():
    found = goal_progress(goal("engagement_rate", 4.0, baseline=2.0), 3.0, date(2026, 3, 1))
    assert found.progress == pytest.approx(50.0)


def test_a_goal_past_its_date_without_reaching_the_target_is_missed():
    found = goal_progress(goal("publications", 100), 60, date(2027, 1, 5))
    assert found.status is GoalStatus.MISSED
    assert found.expected == 100.0


def test_a_goal_whose_figure_is_not_reported_is_unknown():
    found = goal_progress(goal("views", 1000), None, date(2026, 3, 1))
    assert found.status is GoalStatus.UNKNOWN
    assert found.progress is None


def test_a_response_time_goal_is_reached_by_coming_down_to_the_target():
    reached = goal_progress(goal("response_time", 4.0, baseline=12.0), 3.5, date(2026, 2, 1))
    assert reached.status is GoalStatus.REACHED
    halfway = goal_progress(goal("response_time", 4.0, baseline=12.0), 8.0, date(2026, 12, 1))
    assert halfway.progress == pytest.approx(50.0)
    assert halfway.status is GoalStatus.BEHIND
    no_baseline = goal_progress(goal("response_time", 4.0), 8.0, date(2026, 2, 1))
    assert no_baseline.progress == pytest.approx(50.0)


def test_a_baseline_equal_to_the_target_divides_by_nothing_and_counts_as_done():
    found = goal_progress(goal("reach", 100, baseline=100), 90, date(2026, 2, 1))
    assert found.progress == 100.0


def test_cadence_sums_the_compliance_weeks_per_network():
    mondays = [date(2026, 3, 2), date(2026, 3, 9)]
    counts = {
        (mondays[0], "mastodon"): Counts(published=3),
        (mondays[1], "mastodon"): Counts(published=1, scheduled=0),
        (mondays[1], "x"): Counts(published=2),
    }
    weeks = week_rows(
        mondays,
        {"mastodon": 3},
        counts,
        {"mastodon": "Mastodon", "x": "X"},
        date(2026, 3, 20),
        "en",
    )
    rows = {row.network: row for row in cadence(weeks)}
    assert rows["mastodon"].planned == 6
    assert rows["mastodon"].actual == 4
    assert rows["mastodon"].weeks_on_plan == 1
    assert rows["mastodon"].per_week_actual == 2.0
    assert rows["x"].planned == 0 and rows["x"].published == 2
    assert cadence([]) == ()


def test_a_daily_series_has_every_day_and_leaves_unreported_days_unknown():
    period = Period(date(2026, 3, 1), date(2026, 3, 3))
    found = daily_series(period, {"followers": {date(2026, 3, 2): 10}})
    assert found.series("followers") == (None, 10, None)
    assert found.series("views") == (None, None, None)


def test_weekly_series_add_counts_and_keep_the_last_total_across_a_change_of_clocks():
    # The week of 23-29 March 2026 ends on the day the clocks go forward: still 7 days.
    period = Period(date(2026, 3, 23), date(2026, 4, 1))
    posts = {d: 1 for d in period.day_list()}
    followers = {date(2026, 3, 28): 100, date(2026, 3, 29): 104, date(2026, 3, 31): 110}
    found = weekly(daily_series(period, {"posts": posts, "followers": followers}))
    assert found.days == (date(2026, 3, 23), date(2026, 3, 30))
    assert found.series("posts") == (7, 3)
    assert found.series("followers") == (104, 110)


def test_shares_leave_out_empty_parts_and_put_the_largest_first():
    found = shares({"x": 1, "mastodon": 3, "bluesky": 0}, {"mastodon": "Mastodon"})
    assert [(r.key, r.label, r.share) for r in found.rows] == [
        ("mastodon", "Mastodon", 75.0),
        ("x", "x", 25.0),
    ]
    assert shares({}).rows == ()
    assert shares({"x": 0}).total == 0


def test_the_weekday_hour_matrix_adds_slots_and_divides_only_where_there_are_posts():
    matrix = weekday_hour_matrix(
        [SlotCount(0, 9, 2, 10), SlotCount(0, 9, 1, 5), SlotCount(6, 23, 1, 1)]
    )
    assert matrix.cell(0, 9).posts == 3
    assert matrix.cell(0, 9).per_post == pytest.approx(5.0)
    assert matrix.cell(3, 12).per_post is None
    assert matrix.posts == 4
    assert matrix.highest_per_post == pytest.approx(5.0)
    assert len(matrix_rows(matrix)) == 7 * 24
    assert weekday_hour_matrix([]).highest_per_post is None
    with pytest.raises(ValueError):
        weekday_hour_matrix([SlotCount(7, 0, 1, 1)])
