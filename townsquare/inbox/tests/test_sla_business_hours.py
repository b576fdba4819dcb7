"""Business hours (pure): open or closed, and targets counted in opening time across
weekends, nights and changes of clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from townsquare.inbox.business_hours import (
    add_business_minutes,
    business_minutes_between,
    is_open,
    parse,
)

BERLIN = "Europe/Berlin"
WEEKDAYS_9_TO_17 = parse({d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")})


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(BERLIN))


def test_inside_and_outside_hours_in_the_workspace_zone():
    assert is_open(WEEKDAYS_9_TO_17, BERLIN, berlin(2026, 12, 7, 9, 0))  # Monday
    assert not is_open(WEEKDAYS_9_TO_17, BERLIN, berlin(2026, 12, 7, 17, 0))
    assert not is_open(WEEKDAYS_9_TO_17, BERLIN, berlin(2026, 12, 7, 8, 59))
    assert not is_open(WEEKDAYS_9_TO_17, BERLIN, berlin(2026, 12, 12, 12, 0))  # Saturday


def test_an_empty_schedule_is_around_the_clock():
    start = datetime(2026, 12, 12, 3, 0, tzinfo=UTC)
    assert is_open(parse({}), BERLIN, start)
    assert is_open(parse({"mon": []}), BERLIN, start)
    assert add_business_minutes(parse({}), BERLIN, start, 90) == start + timedelta(minutes=90)


def test_a_target_skips_the_night_and_the_weekend():
    friday_afternoon = berlin(2026, 12, 11, 16, 0)
    due = add_business_minutes(WEEKDAYS_9_TO_17, BERLIN, friday_afternoon, 120)
    assert due == berlin(2026, 12, 14, 10, 0)  # 1 h on Friday, 1 h on Monday


def test_a_message_outside_hours_starts_the_clock_at_opening():
    saturday = berlin(2026, 12, 12, 11, 0)
    assert add_business_minutes(WEEKDAYS_9_TO_17, BERLIN, saturday, 30) == berlin(
        2026, 12, 14, 9, 30
    )
    assert add_business_minutes(WEEKDAYS_9_TO_17, BERLIN, saturday, 0) == berlin(2026, 12, 14, 9)


def test_split_days():
    schedule = parse({"mon": [["13:00", "17:00"], ["09:00", "12:00"]]})
    start = berlin(2026, 12, 7, 11, 0)
    assert add_business_minutes(schedule, BERLIN, start, 90) == berlin(2026, 12, 7, 13, 30)


def test_opening_hours_keep_their_wall_time_across_the_spring_change():
    # Clocks go forward on Sunday 29 March 2026: Friday 16:00 CET + 2 h -> Monday 10:00 CEST.
    friday = berlin(2026, 3, 27, 16, 0)
    due = add_business_minutes(WEEKDAYS_9_TO_17, BERLIN, friday, 120)
    assert due == berlin(2026, 3, 30, 10, 0)
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_around_the_clock_hours_count_the_short_night_of_the_change():
    always = parse({d: [["00:00", "24:00"]] for d in ("sat", "sun", "mon")})
    saturday_noon = berlin(2026, 3, 28, 12, 0)
    # 24 real hours later it is 13:00 on Sunday in wall time: the night had 23 hours.
    due = add_business_minutes(always, BERLIN, saturday_noon, 24 * 60)
    assert due == berlin(2026, 3, 29, 13, 0)
    assert business_minutes_between(always, BERLIN, saturday_noon, due) == 24 * 60


def test_the_autumn_change_gives_an_hour_more():
    always = parse({d: [["00:00", "24:00"]] for d in ("sat", "sun")})
    start = berlin(2026, 10, 24, 12, 0)
    due = add_business_minutes(always, BERLIN, start, 24 * 60)
    assert due == berlin(2026, 10, 25, 11, 0)


def test_minutes_between_counts_only_opening_time():
    start, end = berlin(2026, 12, 11, 16, 0), berlin(2026, 12, 14, 10, 0)
    assert business_minutes_between(WEEKDAYS_9_TO_17, BERLIN, start, end) == 120
    assert business_minutes_between(WEEKDAYS_9_TO_17, BERLIN, end, start) == 0


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ({"monday": [["09:00", "17:00"]]}, "unknown_day"),
        ({"mon": [["9", "17:00"]]}, "invalid_time"),
        ({"mon": [["17:00", "09:00"]]}, "end_before_start"),
        ({"mon": [["09:00", "13:00"], ["12:00", "17:00"]]}, "overlapping"),
        ({"mon": [["09:00"]]}, "invalid_interval"),
        ({"mon": [["24:00", "24:00"]]}, "invalid_interval"),
        ({"mon": "09:00-17:00"}, "invalid_interval"),
    ],
)
def test_malformed_schedules_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValueError, match=code):
        parse(raw)
