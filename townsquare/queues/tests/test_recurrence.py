"""Recurrence rules expanded in local wall time, and what is refused."""

from datetime import UTC, date, datetime

import pytest

from townsquare.queues.recurrence import (
    MAX_OCCURRENCES,
    RecurrenceError,
    Repeat,
    expand,
    normalise,
)

BERLIN = "Europe/Berlin"


def test_weekly_at_nine_stays_at_nine_across_the_spring_change():
    # Last Sunday of March 2027 is the 28th: Monday 22nd is CET, Monday 29th CEST.
    times = expand("FREQ=WEEKLY;BYDAY=MO;COUNT=3", datetime(2027, 3, 22, 9, 0), BERLIN)
    assert [t.wall for t in times] == [
        datetime(2027, 3, 22, 9, 0),
        datetime(2027, 3, 29, 9, 0),
        datetime(2027, 4, 5, 9, 0),
    ]
    assert times[0].utc == datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
    assert times[1].utc == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)


def test_daily_at_nine_stays_at_nine_across_the_autumn_change():
    # Last Sunday of October 2027 is the 31st.
    times = expand("FREQ=DAILY;COUNT=3", datetime(2027, 10, 30, 9, 0), BERLIN)
    assert [t.wall.hour for t in times] == [9, 9, 9]
    assert [t.utc.hour for t in times] == [7, 8, 8]


def test_a_time_in_the_spring_gap_is_moved_forward_not_lost():
    times = expand("FREQ=DAILY;COUNT=2", datetime(2027, 3, 27, 2, 30), BERLIN)
    assert len(times) == 2
    assert times[1].shifted


def test_the_structured_fields_make_a_rule():
    rule = Repeat("WEEKLY", interval=2, weekdays=(0, 3), count=4).rule()
    assert rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=4"
    until = Repeat("MONTHLY", until=date(2027, 6, 1)).rule()
    times = expand(until, datetime(2027, 1, 15, 10, 0), BERLIN)
    assert len(times) == 5


def test_until_with_z_is_read_as_a_wall_time():
    assert normalise("RRULE:freq=daily;until=20270110T235959Z") == (
        "FREQ=DAILY;UNTIL=20270110T235959"
    )
    assert len(expand("FREQ=DAILY;UNTIL=20270110T235959Z", datetime(2027, 1, 1, 9), BERLIN)) == 10


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("FREQ=WEEKLY", "no_end"),
        ("FREQ=WEEKLY;BYDAY=MO", "no_end"),
        ("FREQ=DAILY;COUNT=400", "too_many"),
        ("FREQ=DAILY;UNTIL=20300101", "too_long"),
        ("FREQ=YEARLY;COUNT=4", "too_long"),
        ("FREQ=MINUTELY;COUNT=3", "frequency"),
        ("FREQ=WEEKLY;COUNT=abc", "not_a_rule"),
        ("FREQ=WEEKLY;BYDAY=XX;COUNT=2", "not_a_rule"),
        ("COUNT=2", "not_a_rule"),
        ("hello world", "not_a_rule"),
        ("", "not_a_rule"),
        ("FREQ=DAILY;COUNT=2\nDTSTART:20200101T000000", "not_a_rule"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=1", "too_long"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;UNTIL=20280101", "none"),
        ("x" * 600, "too_long_text"),
    ],
)
def test_refusals_are_codes_not_exceptions_of_the_library(rule, code):
    with pytest.raises(RecurrenceError) as refused:
        expand(rule, datetime(2027, 1, 4, 9, 0), BERLIN)
    assert refused.value.code == code


def test_the_largest_series_allowed():
    times = expand(f"FREQ=DAILY;COUNT={MAX_OCCURRENCES}", datetime(2027, 1, 1, 9), BERLIN)
    assert len(times) == MAX_OCCURRENCES
