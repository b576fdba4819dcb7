import random
from datetime import UTC, datetime, timedelta

import pytest

from townsquare.publishing.schedule import (
    LatePolicy,
    Status,
    can_move,
    is_held_for_lateness,
    local_to_utc,
    retry_delay,
    utc_to_local,
)


def test_a_published_post_can_never_move_again():
    assert not any(can_move(Status.PUBLISHED, s) for s in Status)


def test_an_unknown_outcome_is_never_sent_again_directly():
    assert not can_move(Status.UNKNOWN, Status.PUBLISHING)
    assert can_move(Status.UNKNOWN, Status.PUBLISHED) and can_move(Status.UNKNOWN, Status.SCHEDULED)


def test_retries_back_off_exponentially_with_jitter_and_are_capped():
    rng = random.Random(1)
    delays = [retry_delay(n, rng=rng) for n in range(1, 12)]
    assert 3.75 <= delays[0] <= 6.25 and 7.5 <= delays[1] <= 12.5
    assert max(delays) <= 15 * 60 * 1.25


def test_a_reset_time_from_the_network_is_honoured():
    assert 30 <= retry_delay(1, after=30, rng=random.Random(2)) <= 32


def test_late_posts_are_held_only_when_the_workspace_says_so():
    due = datetime(2026, 5, 1, 9, tzinfo=UTC)
    assert not is_held_for_lateness(due, due + timedelta(hours=5), LatePolicy(hold=False))
    assert is_held_for_lateness(
        due, due + timedelta(minutes=61), LatePolicy(hold=True, after_minutes=60)
    )
    assert not is_held_for_lateness(
        due, due + timedelta(minutes=59), LatePolicy(hold=True, after_minutes=60)
    )


@pytest.mark.parametrize(
    ("zone", "wall", "utc"),
    [
        # Ordinary days either side of the changes.
        ("Europe/Berlin", datetime(2026, 3, 28, 9, 0), datetime(2026, 3, 28, 8, 0, tzinfo=UTC)),
        ("Europe/Berlin", datetime(2026, 3, 29, 9, 0), datetime(2026, 3, 29, 7, 0, tzinfo=UTC)),
        ("Europe/Berlin", datetime(2026, 10, 25, 9, 0), datetime(2026, 10, 25, 8, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 3, 7, 9, 0), datetime(2026, 3, 7, 14, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 3, 8, 9, 0), datetime(2026, 3, 8, 13, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 11, 1, 9, 0), datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
    ],
)
def test_nine_in_the_morning_stays_nine_across_daylight_saving_changes(zone, wall, utc):
    local = local_to_utc(wall, zone)
    assert local.utc == utc and not local.shifted
    assert utc_to_local(local.utc, zone) == wall


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap():
    local = local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")
    assert local.shifted
    assert utc_to_local(local.utc, "Europe/Berlin") == datetime(2026, 3, 29, 3, 30)
    ny = local_to_utc(datetime(2026, 3, 8, 2, 15), "America/New_York")
    assert ny.shifted and utc_to_local(ny.utc, "America/New_York") == datetime(2026, 3, 8, 3, 15)


def test_a_time_that_happens_twice_in_autumn_takes_the_first():
    local = local_to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Berlin")
    assert local.ambiguous and local.utc == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    ny = local_to_utc(datetime(2026, 11, 1, 1, 30), "America/New_York")
    assert ny.ambiguous and ny.utc == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_an_aware_time_is_refused():
    with pytest.raises(ValueError):
        local_to_utc(datetime(2026, 1, 1, tzinfo=UTC), "Europe/Berlin")


@pytest.mark.parametrize(
    ("zone", "first", "expected_utc_hours"),
    [
        # Berlin springs forward on 29 March and falls back on 25 October 2026.
        ("Europe/Berlin", datetime(2026, 3, 22, 9, 0), [8, 7, 7]),
        ("Europe/Berlin", datetime(2026, 10, 18, 9, 0), [7, 8, 8]),
        # New York springs forward on 8 March and falls back on 1 November 2026.
        ("America/New_York", datetime(2026, 3, 1, 9, 0), [14, 13, 13]),
        ("America/New_York", datetime(2026, 10, 25, 9, 0), [13, 14, 14]),
    ],
)
def test_a_weekly_post_stays_at_nine_local_time_across_the_change(zone, first, expected_utc_hours):
    from townsquare.publishing.schedule import recurring

    occurrences = recurring(first, zone, timedelta(days=7), 3)
    assert [o.utc.hour for o in occurrences] == expected_utc_hours
    assert all(utc_to_local(o.utc, zone).hour == 9 for o in occurrences)
