"""Best time to post: the minimum-data guard, the ranking, the fallback and the concrete
moments (pure)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from townsquare.analytics.best_time import (
    GENERAL_HOURS,
    Basis,
    Confidence,
    Suggestion,
    best_time,
    next_slots,
)
from townsquare.analytics.kpis.series import SlotCount

BERLIN = ZoneInfo("Europe/Berlin")


def steady(posts_per_slot: int = 5, per_post: int = 10) -> list[SlotCount]:
    """Ten weekday slots with the same engagement per post."""
    return [
        SlotCount(day, hour, posts_per_slot, posts_per_slot * per_post)
        for day in range(5)
        for hour in (9, 15)
    ]


def test_with_too_few_posts_the_suggestions_are_general_guidance_and_say_so():
    found = best_time("mastodon", [SlotCount(0, 9, 10, 500)])
    assert found.basis is Basis.GENERAL
    assert found.confidence is Confidence.LOW
    assert [(s.weekday, s.hour) for s in found.suggestions] == list(GENERAL_HOURS["mastodon"])
    assert "not measured" in found.note("en")
    assert "nicht gemessen" in found.note("de")
    assert "not from your data" in found.suggestions[0].reason("en")


def test_a_network_without_general_guidance_gets_the_default_hours():
    assert best_time("reddit", []).suggestions


def test_the_best_slot_is_the_one_with_most_engagement_per_post():
    slots = [*steady(), SlotCount(2, 18, 5, 150)]  # 30 per post against 10
    found = best_time("bluesky", slots)
    assert found.basis is Basis.HISTORY
    top = found.suggestions[0]
    assert (top.weekday, top.hour) == (2, 18)
    assert top.lift == pytest.approx(30 / (650 / 55))
    assert "more engagements per post" in top.reason("en")
    assert "mehr Interaktionen" in top.reason("de")


def test_a_slot_with_fewer_than_three_posts_is_not_trusted_however_good():
    slots = [*steady(), SlotCount(6, 20, 2, 1000)]
    found = best_time("bluesky", slots)
    assert (6, 20) not in [(s.weekday, s.hour) for s in found.suggestions]


def test_neighbouring_hours_of_one_day_are_suggested_once():
    slots = [*steady(), SlotCount(4, 18, 5, 200), SlotCount(4, 19, 5, 190)]
    found = best_time("mastodon", slots)
    chosen = [(s.weekday, s.hour) for s in found.suggestions]
    assert (4, 18) in chosen and (4, 19) not in chosen


def test_confidence_is_high_only_with_many_posts_in_every_suggested_slot():
    assert best_time("x", steady(posts_per_slot=10)).confidence is Confidence.HIGH
    medium = best_time("x", steady(posts_per_slot=3))
    assert medium.confidence is Confidence.MEDIUM
    assert "hint" in medium.note("en")


def test_posts_without_any_engagement_teach_nothing():
    found = best_time("x", steady(per_post=0))
    assert found.basis is Basis.GENERAL


def test_a_slot_out_of_range_is_refused():
    with pytest.raises(ValueError):
        best_time("x", [SlotCount(0, 24, 1, 1)])


def test_next_slots_are_the_suggested_hours_in_the_workspace_zone():
    tuesday_nine = Suggestion(1, 9, 5, 3.0, 1.2)
    start = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # Monday
    found = next_slots([tuesday_nine], "Europe/Berlin", start, 14)
    assert found == [
        datetime(2026, 3, 3, 9, 0, tzinfo=BERLIN),
        datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN),
    ]
    assert found[0].utcoffset().total_seconds() == 3600


def test_a_slot_in_the_hour_skipped_by_the_change_of_clocks_moves_after_it():
    sunday_two = Suggestion(6, 2, 5, 3.0, 1.2)
    start = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    (moment,) = next_slots([sunday_two], "Europe/Berlin", start, 2)
    assert moment.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 CEST
    assert moment.astimezone(BERLIN).hour == 3


def test_moments_before_the_start_are_left_out_and_a_naive_start_is_refused():
    monday_nine = Suggestion(0, 9, 5, 3.0, 1.2)
    start = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday after nine in Berlin
    assert next_slots([monday_nine], "Europe/Berlin", start, 1) == []
    with pytest.raises(ValueError):
        next_slots([monday_nine], "Europe/Berlin", datetime(2026, 3, 2), 1)
