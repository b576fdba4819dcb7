"""The period picker: each choice as whole local days, compared with the previous period of
the same length; a custom period within two years; anything else falls back with a code."""

from datetime import date

from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.periods import choose_period

TODAY = date(2026, 12, 7)


def test_the_last_n_days_end_today_and_compare_with_the_n_days_before():
    choice = choose_period("7d", TODAY)
    assert choice.period == Period(date(2026, 12, 1), TODAY)
    assert choice.period.previous() == Period(date(2026, 11, 24), date(2026, 11, 30))
    assert choose_period("", TODAY).period.days == 28, "28 days unless asked"
    assert choose_period("90d", TODAY).period.days == 90


def test_calendar_months_and_quarters():
    assert choose_period("this_month", TODAY).period == Period(date(2026, 12, 1), TODAY)
    assert choose_period("last_month", TODAY).period == Period(
        date(2026, 11, 1), date(2026, 11, 30)
    )
    assert choose_period("this_quarter", TODAY).period == Period(date(2026, 10, 1), TODAY)
    assert choose_period("last_quarter", TODAY).period == Period(
        date(2026, 7, 1), date(2026, 9, 30)
    )
    january = date(2027, 1, 15)
    assert choose_period("last_month", january).period == Period(
        date(2026, 12, 1), date(2026, 12, 31)
    )
    assert choose_period("last_quarter", january).period == Period(
        date(2026, 10, 1), date(2026, 12, 31)
    )


def test_a_custom_period_is_taken_as_given_within_two_years():
    choice = choose_period("custom", TODAY, "2026-01-01", "2026-03-31")
    assert (choice.key, choice.error) == ("custom", "")
    assert choice.period == Period(date(2026, 1, 1), date(2026, 3, 31))


def test_what_names_no_period_falls_back_to_the_last_28_days_with_a_reason():
    cases = {
        ("yesterday", "", ""): "unknown_period",
        ("custom", "", "2026-01-01"): "invalid_date",
        ("custom", "2026-02-30", "2026-03-01"): "invalid_date",
        ("custom", "0202-01-01", "2026-03-01"): "invalid_date",
        ("custom", "2026-03-01", "2026-01-01"): "end_before_start",
        ("custom", "2023-01-01", "2026-01-01"): "too_long",
    }
    for (key, start, end), error in cases.items():
        choice = choose_period(key, TODAY, start, end)
        assert choice.error == error, (key, start, end)
        assert choice.key == "28d"
        assert choice.period == Period(date(2026, 11, 10), TODAY)
