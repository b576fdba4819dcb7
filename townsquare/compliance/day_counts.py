"""The calendar's compliance marks counted per local day by the database.

Raw SQL, because the day is found by comparing each publication's time with the days' ends,
and the ORM would repeat the whole expression for that time in every comparison (compiling
it took longer than running it); here the inner query names it once (`w`). Only table
names, placeholders and the CASE built from placeholders are formatted in; every value is a
parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import connection

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status as PubStatus
from townsquare.workspaces.models import Workspace

# Counted as scheduled: on its way out (or waiting for a person to post it by hand, or
# sent with an outcome still to be checked). Drafts, failed and cancelled count nowhere.
SCHEDULED_STATES = (
    PubStatus.SCHEDULED.value,
    PubStatus.PUBLISHING.value,
    PubStatus.BY_HAND.value,
    PubStatus.UNKNOWN.value,
)
PUBLISHED_STATES = (PubStatus.PUBLISHED.value,)


def day_counts(
    workspace: Workspace,
    bounds: Callable[[Workspace, date, date], tuple[datetime, datetime]],
    first: date,
    last: date,
    campaign: Campaign | None,
) -> list[tuple[date, str, str, int]]:
    """(local day, network, status, how many) of the counted publications in the span,
    counted by the database: one query returning a few hundred rows whatever the number of
    posts. Each day's end in UTC is computed here (daylight saving included), so the
    database only compares times: no zone functions run for each row.

    Written in SQL because the day is found by comparing the publication's time against
    the days' ends, and the ORM would repeat the whole expression for that time in every
    comparison; here the inner query names it once (`w`)."""
    start, end = bounds(workspace, first, last)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    ends = [bounds(workspace, day, day)[1] for day in days]
    adapt = connection.ops.adapt_datetimefield_value
    day_sql, day_params = _day_case(0, len(ends), [adapt(e) for e in ends])
    counted = ", ".join(["%s"] * len(SCHEDULED_STATES + PUBLISHED_STATES))
    campaign_sql = " AND pub.post_id IN (SELECT id FROM {posts} WHERE campaign_id = %s)"
    sql = (
        f"SELECT {day_sql} AS day, network, status, COUNT(*) FROM ("
        f"SELECT CASE WHEN pub.status = %s AND pub.published_at IS NOT NULL "
        f"THEN pub.published_at ELSE pub.due_at END AS w, acc.network AS network, "
        f"pub.status AS status "
        f"FROM {Publication._meta.db_table} pub "
        f"JOIN {SocialAccount._meta.db_table} acc ON acc.id = pub.account_id "
        f"WHERE pub.workspace_id = %s AND pub.status IN ({counted}) "
        f"AND ((pub.due_at >= %s AND pub.due_at < %s) "
        f"OR (pub.published_at >= %s AND pub.published_at < %s))"
        + (campaign_sql.format(posts=Post._meta.db_table) if campaign is not None else "")
        + ") counted WHERE w >= %s AND w < %s GROUP BY 1, network, status"
    )
    params: list[object] = [
        *day_params,
        PubStatus.PUBLISHED.value,
        workspace.pk,
        *SCHEDULED_STATES,
        *PUBLISHED_STATES,
        adapt(start),
        adapt(end),
        adapt(start),
        adapt(end),
        *([campaign.pk] if campaign is not None else []),
        adapt(start),
        adapt(end),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(days[int(day)], network, status, int(n)) for day, network, status, n in rows]


def _day_case(low: int, high: int, ends: list[object]) -> tuple[str, list[object]]:
    """SQL for the index of the day `w` falls on: a CASE that halves the days at each step
    (about six comparisons for a month's 42 days), with its parameters in order."""
    if high - low == 1:
        return str(low), []
    middle = (low + high) // 2
    upper, upper_params = _day_case(middle, high, ends)
    lower, lower_params = _day_case(low, middle, ends)
    return (
        f"CASE WHEN w >= %s THEN {upper} ELSE {lower} END",
        [ends[middle - 1], *upper_params, *lower_params],
    )
