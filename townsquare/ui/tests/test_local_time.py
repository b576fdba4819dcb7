"""Times as people read them: in a named zone, and spans whose nouns agree with their
numbers in English and German ("vor 1 Tag", "vor 3 Tagen")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from townsquare.lib.local_time import ago, in_zone, time_left

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("then", "english", "german"),
    [
        (NOW - timedelta(days=1, hours=3), "1 day ago", "vor 1 Tag"),
        (NOW - timedelta(days=3), "3 days ago", "vor 3 Tagen"),
        (NOW - timedelta(hours=1), "1 hour ago", "vor 1 Stunde"),
        (NOW - timedelta(minutes=5), "5 minutes ago", "vor 5 Minuten"),
        (NOW - timedelta(seconds=10), "just now", "gerade eben"),
    ],
)
def test_spans_ago_agree_with_their_numbers(then, english, german):
    with translation.override("en"):
        assert ago(then, NOW) == english
    with translation.override("de"):
        assert ago(then, NOW) == german


@pytest.mark.parametrize(
    ("then", "english", "german"),
    [
        (NOW + timedelta(days=1), "in 1 day", "in 1 Tag"),
        (NOW + timedelta(days=30), "in 30 days", "in 30 Tagen"),
        (NOW + timedelta(hours=2), "in 2 hours", "in 2 Stunden"),
    ],
)
def test_spans_ahead_agree_with_their_numbers(then, english, german):
    with translation.override("en"):
        assert time_left(then, NOW) == english
    with translation.override("de"):
        assert time_left(then, NOW) == german


def test_a_time_is_shown_in_the_zone_asked_for_with_the_zone_named():
    moment = datetime(2026, 12, 6, 23, 27, tzinfo=UTC)
    with translation.override("en"):
        assert in_zone(moment, "Europe/Berlin") == "7 Dec 2026, 00:27 (Europe/Berlin)"
        assert in_zone(moment) == "6 Dec 2026, 23:27 (UTC)"
    with translation.override("de"):
        assert in_zone(moment, "America/New_York") == "06.12.2026, 18:27 (America/New_York)"
