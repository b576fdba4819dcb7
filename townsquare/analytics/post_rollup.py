"""The posts' local day and hour of the week, and their daily totals (models_rollup.py).

Every writer of TrackedPost rows gives them their local day and hour: `TrackedPost.save`
does it itself, bulk writers call `set_local_times` first (the columns have no default, so
a writer that forgets fails loudly instead of counting a post on the wrong day). The
daily totals then follow by themselves: the database's triggers keep them.

Local times are worked out in the zone PostLocalZone names for the workspace. When the
workspace's zone changes, `rezone` (run by the scheduler, see jobs.py) works every post out
again in one transaction; until then `totals_usable` is false and the dashboards count the
posts themselves, which is slower but right.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F

from townsquare.analytics.models import PostDayTotal, PostLocalZone, TrackedPost
from townsquare.lib.local_time import zone_of
from townsquare.workspaces.models import Workspace

logger = logging.getLogger(__name__)

REZONE_BATCH = 2_000
# How often the scheduler looks for workspaces whose zone changed.
REZONE_EVERY_SECONDS = 60.0


def local_time_of(published_at: Any, zone: ZoneInfo) -> tuple[date, int]:
    """The local day and the hour of the week (Monday 00:00 = 0) of a UTC moment."""
    local = published_at.astimezone(zone)
    return local.date(), local.weekday() * 24 + local.hour


def posts_zone(workspace: Workspace) -> ZoneInfo:
    """The zone the workspace's posts are worked out in: the workspace's own, unless a
    change of it is still being worked through."""
    marker, _created = PostLocalZone.objects.get_or_create(
        workspace_id=workspace.pk, defaults={"time_zone": zone_of(workspace)}
    )
    return ZoneInfo(marker.time_zone)


def set_local_times(posts: Iterable[TrackedPost], workspace: Workspace) -> None:
    """Give each post (all of `workspace`) its local day and hour before it is written."""
    zone = posts_zone(workspace)
    for post in posts:
        post.local_day, post.local_slot = local_time_of(post.published_at, zone)


def totals_usable(workspace: Workspace) -> bool:
    """Whether the posts' stored local times (and so the daily totals) are in the
    workspace's zone. A workspace without posts has no marker yet: nothing to miscount.
    Asked once per workspace object and zone (a page's readers share its membership)."""
    zone_name = zone_of(workspace)
    cached = workspace.__dict__.get(_USABLE_CACHE)
    if cached is not None and cached[0] == zone_name:
        return bool(cached[1])
    stored = (
        PostLocalZone.objects.filter(workspace_id=workspace.pk)
        .values_list("time_zone", flat=True)
        .first()
    )
    usable = stored is None or stored == zone_name
    workspace.__dict__[_USABLE_CACHE] = (zone_name, usable)
    return usable


_USABLE_CACHE = "_posts_local_zone_usable"


def rezone(workspace_id: int) -> int:
    """Work every post of the workspace out again in its current zone (the triggers move
    the daily totals along), then name the new zone. One transaction: readers see the old
    days or the new ones, never a mix. Returns the number of posts that moved."""
    moved = 0
    with transaction.atomic():
        workspace = Workspace.objects.select_for_update().get(pk=workspace_id)
        marker = PostLocalZone.objects.select_for_update().filter(workspace=workspace).first()
        target = zone_of(workspace)
        if marker is None or marker.time_zone == target:
            return 0
        zone = ZoneInfo(target)
        posts = TrackedPost.objects.filter(workspace=workspace).only(
            "pk", "published_at", "local_day", "local_slot"
        )
        changed: list[TrackedPost] = []
        for post in posts.iterator(chunk_size=REZONE_BATCH):
            day, slot = local_time_of(post.published_at, zone)
            if (day, slot) != (post.local_day, post.local_slot):
                post.local_day, post.local_slot = day, slot
                changed.append(post)
            if len(changed) >= REZONE_BATCH:
                moved += _write(changed)
        moved += _write(changed)
        marker.time_zone = target
        marker.save(update_fields=["time_zone"])
    logger.info("worked out %s posts of workspace %s again in %s", moved, workspace_id, target)
    return moved


def _write(posts: list[TrackedPost]) -> int:
    count = len(posts)
    if posts:
        TrackedPost.objects.bulk_update(posts, ["local_day", "local_slot"])
        posts.clear()
    return count


def rezone_changed_workspaces() -> float:
    """Scheduler job: rework the posts of every workspace whose zone changed."""
    waiting = PostLocalZone.objects.exclude(time_zone=F("workspace__time_zone")).values_list(
        "workspace_id", flat=True
    )
    for workspace_id in list(waiting[:10]):
        rezone(workspace_id)
    return REZONE_EVERY_SECONDS


def totals_from_posts(workspace_id: int) -> dict[tuple[int, str, date], dict[str, int]]:
    """The daily totals summed from the posts themselves: what the triggers must keep
    (tests, and `python -m townsquare analytics_totals --check`)."""
    from django.db.models import Count, Q, Sum

    from townsquare.analytics.models_rollup import DAY_TOTAL_COUNTERS

    sums: dict[str, Any] = {
        "posts": Count("pk"),
        "engagements": Sum("engagements"),
        "engaged_with_impressions": Sum("engagements", filter=Q(impressions__isnull=False)),
    }
    for name in DAY_TOTAL_COUNTERS:
        sums[name] = Sum(name)
        sums[f"{name}_known"] = Count(name)
    rows = (
        TrackedPost.objects.filter(workspace_id=workspace_id)
        .values("account_id", "network", "local_day")
        # Aliases other than the columns' names: Django refuses a sum named as its column.
        .annotate(**{f"sum_{name}": value for name, value in sums.items()})
        .order_by()
    )
    return {
        (row["account_id"], row["network"], row["local_day"]): {
            name: int(row[f"sum_{name}"] or 0) for name in sums
        }
        for row in rows
    }


def stored_totals(workspace_id: int) -> dict[tuple[int, str, date], dict[str, int]]:
    from townsquare.analytics.models_rollup import DAY_TOTAL_COUNTERS

    names = [
        "posts",
        "engagements",
        "engaged_with_impressions",
        *DAY_TOTAL_COUNTERS,
        *(f"{n}_known" for n in DAY_TOTAL_COUNTERS),
    ]
    return {
        (row["account_id"], row["network"], row["local_day"]): {n: int(row[n]) for n in names}
        for row in PostDayTotal.objects.filter(workspace_id=workspace_id).values(
            "account_id", "network", "local_day", *names
        )
    }
