"""A workspace's posting history for the suggested times: twelve weeks before now, each
with a post on Tuesday at 18:00 (50 engagements), Thursday at 08:00 (30) and Friday at
12:00 (2), in the workspace's zone: 36 posts, Tuesday evening best, Thursday morning above
the average too, Friday noon far below it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from townsquare.analytics.models import TrackedPost
from townsquare.analytics.post_rollup import set_local_times
from townsquare.networks.models import SocialAccount

BEST = ((1, 18, 50), (3, 8, 30), (4, 12, 2))  # weekday (Monday 0), local hour, engagements


def history(account: SocialAccount, weeks: int = 12, now: datetime | None = None) -> None:
    zone = ZoneInfo(account.workspace.time_zone)
    today = (now or timezone.now()).astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    rows = []
    for week in range(1, weeks + 1):
        start = monday - timedelta(weeks=week)
        for weekday, hour, engagements in BEST:
            day = start + timedelta(days=weekday)
            at = datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)
            rows.append(
                TrackedPost(
                    workspace=account.workspace,
                    account=account,
                    network=account.network,
                    network_post_id=f"{account.pk}-{week}-{weekday}",
                    published_at=at,
                    engagements=engagements,
                    source="demo",
                )
            )
    set_local_times(rows, account.workspace)
    TrackedPost.objects.bulk_create(rows)
