"""When a post's counters are read: every 3 hours in its first 2 days, daily until day 30,
weekly until day 90, once on day 90, then never; and how failures back off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from townsquare.analytics.collection_schedule import (
    MAX_BACKOFF,
    backoff,
    first_snapshot_at,
    next_snapshot_at,
)

PUBLISHED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def after(**age) -> datetime:
    return PUBLISHED + timedelta(**age)


def test_a_post_is_read_every_three_hours_in_its_first_two_days():
    assert next_snapshot_at(PUBLISHED, after(hours=3)) == after(hours=6)
    assert next_snapshot_at(PUBLISHED, after(hours=47)) == after(hours=50)


def test_then_daily_until_day_thirty():
    assert next_snapshot_at(PUBLISHED, after(days=2)) == after(days=3)
    assert next_snapshot_at(PUBLISHED, after(days=29, hours=23)) == after(days=30, hours=23)


def test_then_weekly_until_day_ninety_with_a_last_reading_on_day_ninety():
    assert next_snapshot_at(PUBLISHED, after(days=30)) == after(days=37)
    assert next_snapshot_at(PUBLISHED, after(days=86)) == after(days=90)


def test_after_day_ninety_nothing_more_is_read():
    assert next_snapshot_at(PUBLISHED, after(days=90)) is None
    assert first_snapshot_at(PUBLISHED, after(days=91)) is None


def test_a_new_post_is_read_at_once_by_the_collection_that_finds_it():
    assert first_snapshot_at(PUBLISHED, after(minutes=5)) == after(minutes=5)
    assert first_snapshot_at(PUBLISHED, after(days=10)) == after(days=10)


def test_failures_back_off_doubling_up_to_a_cap_and_at_least_as_long_as_the_network_asked():
    assert [backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=15),
        timedelta(minutes=30),
        timedelta(hours=1),
    ]
    assert backoff(40) == MAX_BACKOFF
    assert backoff(10_000) == MAX_BACKOFF, "a long streak does not overflow"
    assert backoff(1, asked_seconds=7200) == timedelta(hours=2)
