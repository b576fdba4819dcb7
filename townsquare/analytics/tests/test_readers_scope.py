"""The period's bounds and the zone's offsets that local days and hours are counted with."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from townsquare.analytics.kpis.periods import Period
from townsquare.analytics.post_rollup import set_local_times
from townsquare.analytics.readers_scope import as_date, bounds, offset_segments

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_period_is_bounded_by_local_midnights_in_utc(workspace_a):
    start, end = bounds(workspace_a, Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert start == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # summer time by then


def test_a_span_without_a_change_of_clocks_has_one_offset():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert offset_segments(BERLIN, start, start + timedelta(days=30)) == [
        (start + timedelta(days=30), 3600)
    ]
    assert offset_segments(ZoneInfo("UTC"), start, start + timedelta(days=400))[0][1] == 0


def test_each_change_of_clocks_is_found_to_the_minute():
    start = datetime(2026, 1, 1, 0, 0, 17, tzinfo=UTC)  # not on a whole minute
    end = datetime(2027, 1, 1, tzinfo=UTC)
    assert offset_segments(BERLIN, start, end) == [
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 3600),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 7200),
        (end, 3600),
    ]


def test_half_hour_zones_change_on_their_own_minute():
    adelaide = ZoneInfo("Australia/Adelaide")  # +10:30 in summer, +9:30 in winter
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    pieces = offset_segments(adelaide, start, end)
    assert pieces == [(datetime(2026, 4, 4, 16, 30, tzinfo=UTC), 37800), (end, 34200)]


def test_local_days_come_back_as_dates_from_either_database():
    assert as_date("2026-03-29") == date(2026, 3, 29)
    assert as_date(date(2026, 3, 29)) == date(2026, 3, 29)


@pytest.mark.django_db
@pytest.mark.parametrize("zone_name", ["Europe/Berlin", "Australia/Adelaide", "America/New_York"])
def test_the_hour_of_the_week_is_the_local_weekday_and_hour(workspace_a, zone_name):
    """One conversion a row (`slot`) gives what the separate weekday and hour give, on
    whole hours, a second before midnight, on both sides of a change of clocks."""
    from townsquare.analytics.models import TrackedPost
    from townsquare.analytics.readers_scope import local_parts, slot_parts
    from townsquare.networks.models import SocialAccount

    workspace_a.time_zone = zone_name
    workspace_a.save(update_fields=["time_zone"])
    account = SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="h")
    local = ZoneInfo(zone_name)
    moments = [
        datetime(2026, 3, 28, 23, 59, 59, tzinfo=local),  # Saturday night, before summer time
        datetime(2026, 3, 29, 0, 0, tzinfo=local),
        datetime(2026, 3, 30, 18, 0, tzinfo=local),  # Monday, on the hour
        datetime(2026, 4, 5, 23, 59, 59, tzinfo=local),  # Sunday, a second before midnight
        datetime(2026, 11, 2, 0, 30, tzinfo=local),
        datetime(2026, 12, 31, 23, 0, tzinfo=local),
    ]
    made = [
        TrackedPost(
            workspace=workspace_a,
            account=account,
            network="bluesky",
            network_post_id=str(n),
            published_at=moment.astimezone(UTC),
            source="demo",
        )
        for n, moment in enumerate(moments)
    ]
    set_local_times(made, workspace_a)
    TrackedPost.objects.bulk_create(made)
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC)
    parts = local_parts(workspace_a, TrackedPost, "published_at", start, end)
    rows = TrackedPost.objects.annotate(
        slot=parts["slot"], weekday=parts["weekday"], hour=parts["hour"]
    ).order_by("published_at")
    found = [(slot_parts(r.slot), (int(r.weekday), int(r.hour))) for r in rows]
    expected = [(m.weekday(), m.hour) for m in moments]
    assert [by_slot for by_slot, _ in found] == expected
    assert [separately for _, separately in found] == expected
    # The local day and hour of the week each post keeps agree, in the same zones.
    stored = [(slot_parts(r.local_slot), r.local_day) for r in rows]
    assert stored == [((m.weekday(), m.hour), m.date()) for m in moments]
