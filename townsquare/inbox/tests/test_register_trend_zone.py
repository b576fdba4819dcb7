"""The register's weekly trend counts weeks in the workspace's zone, across a change of
clocks (two Mondays 6 days 23 hours apart are still one week apart)."""

from datetime import UTC, datetime

import pytest

from townsquare.inbox.models import FeedbackItem, FeedbackTopic
from townsquare.inbox.register import TREND_WEEKS, trends, week_start

pytestmark = pytest.mark.django_db


def test_week_start_is_monday_midnight_in_the_workspace_zone():
    # Sunday 23:30 UTC is already Monday 00:30 in Berlin (winter time).
    moment = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert week_start(moment, "Europe/Berlin").isoformat() == "2026-12-07T00:00:00+01:00"
    assert week_start(moment, "UTC").isoformat() == "2026-11-30T00:00:00+00:00"


def test_items_after_the_clocks_change_land_in_their_own_week(workspace_a):
    topic = FeedbackTopic.objects.create(workspace=workspace_a, title="Lieferung")
    # Summer time ended on Sunday 25 October 2026 in Berlin. "Now" is Wednesday 4 November;
    # one item on Monday 26 October 00:30 Berlin time (23:30 UTC the day before), one on
    # Tuesday 3 November.
    now = datetime(2026, 11, 4, 12, tzinfo=UTC)
    for moment in (
        datetime(2026, 10, 25, 23, 30, tzinfo=UTC),
        datetime(2026, 11, 3, 9, tzinfo=UTC),
    ):
        FeedbackItem.objects.create(
            workspace=workspace_a,
            topic=topic,
            message=None,
            category="complaint",
            created_at=moment,
        )
    counts = trends([topic.pk], now=now, zone="Europe/Berlin")[topic.pk]
    assert len(counts) == TREND_WEEKS
    assert counts[-1] == 1 and counts[-2] == 1
    assert sum(counts) == 2
    # Counted in UTC the first item falls in the week before.
    assert trends([topic.pk], now=now, zone="UTC")[topic.pk][-3] == 1
