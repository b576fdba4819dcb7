"""The month's tiles read in two SQL statements: each publication put on its local day, the
first tiles of each day ranked and each day's number of tiles; then the columns of the
kept rows with their post, account, campaign, pillar and author.

Raw SQL, because the day is found by comparing each publication's time with the days'
ends, and the ORM repeated the whole expression for that time (COALESCE of two columns) in
every comparison and again in the window: compiling it took longer than running it. Here
the innermost query names the time once (`w`). Only table names, column names and
placeholders are formatted in; every value, the filters' included, is a parameter.

`tiles.first_tiles_by_day` is the only caller; tests hold it to the tiles read one by one
(`tiles.tiles_between`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.dateparse import parse_datetime

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.publishing.models import Publication

# The columns of tiles.COLUMNS, in that order, as the outer query names them.
COLUMN_SQL = (
    "pub.id",
    "pub.post_id",
    "pub.due_at",
    "pub.published_at",
    "pub.status",
    "pub.external_url",
    "pub.account_id",
    "acc.network",
    "acc.handle",
    "acc.display_name",
    "acc.removed_at",
    "SUBSTR(post.master_text, 1, %s)",
    "post.language",
    "post.campaign_id",
    "camp.name",
    "post.pillar_id",
    "pil.name",
    "pil.colour",
    "post.created_by_id",
    "author.name",
    "author.email",
)
DATETIME_COLUMNS = (2, 3, 10)


def ranked_rows(
    workspace_id: int,
    start: datetime,
    end: datetime,
    ends: list[datetime],
    per_day: int,
    head_chars: int,
    filter_sql: list[str],
    filter_params: list[object],
    filter_tables: set[str],
) -> tuple[list[tuple[Any, ...]], dict[int, int]]:
    """The rows (tiles.COLUMNS) of the first `per_day` tiles of each day, and each day's
    number of tiles by its index in `ends` (each day's end in UTC, in order).

    `filter_sql` are conditions on `pub`, `acc` (the account) and `post`, with their
    parameters in order; `filter_tables` names which of `acc` and `post` they need."""
    adapt = connection.ops.adapt_datetimefield_value
    day_sql, day_params = _day_case(0, len(ends), [adapt(e) for e in ends])
    joins = ""
    if "acc" in filter_tables:
        joins += f" JOIN {SocialAccount._meta.db_table} acc ON acc.id = pub.account_id"
    if "post" in filter_tables:
        joins += f" JOIN {Post._meta.db_table} post ON post.id = pub.post_id"
    conditions = " AND ".join(
        [
            "pub.workspace_id = %s",
            "((pub.due_at >= %s AND pub.due_at < %s)"
            " OR (pub.due_at IS NULL AND pub.published_at >= %s AND pub.published_at < %s))",
            *filter_sql,
        ]
    )
    # Innermost: the time, named once. Then its day; then the rank of each tile (a post
    # at a time) in its day; then each day's count of tiles (the highest rank).
    placed = (
        f"SELECT pub.id AS id, pub.post_id AS post_id, "
        f"COALESCE(pub.due_at, pub.published_at) AS w "
        f"FROM {Publication._meta.db_table} pub{joins} WHERE {conditions}"
    )
    ranked = (
        f"SELECT id, bucket, DENSE_RANK() OVER (PARTITION BY bucket ORDER BY w, post_id) AS rk "
        f"FROM (SELECT id, post_id, w, {day_sql} AS bucket FROM ({placed}) timed) dayed"
    )
    counted = (
        f"SELECT id, bucket, rk, MAX(rk) OVER (PARTITION BY bucket) AS total FROM ({ranked}) r"
    )
    # The ranking alone first, then the columns of the rows it keeps by their ids: in one
    # statement PostgreSQL's planner, guessing that a third of the month is kept, joined
    # every post and publication by hashing instead of looking up the few hundred kept.
    ranking = f"SELECT id, bucket, total FROM ({counted}) kept WHERE rk <= %s"
    params: list[object] = [
        *day_params,
        workspace_id,
        adapt(start),
        adapt(end),
        adapt(start),
        adapt(end),
        *filter_params,
        per_day,
    ]
    totals: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(ranking, params)
        kept = cursor.fetchall()
        for _id, bucket, total in kept:
            totals[int(bucket)] = int(total)
        if not kept:
            return [], totals
        ids = [int(row[0]) for row in kept]
        cursor.execute(
            f"SELECT {', '.join(COLUMN_SQL)} "
            f"FROM {Publication._meta.db_table} pub "
            f"JOIN {SocialAccount._meta.db_table} acc ON acc.id = pub.account_id "
            f"JOIN {Post._meta.db_table} post ON post.id = pub.post_id "
            f"LEFT JOIN {Campaign._meta.db_table} camp ON camp.id = post.campaign_id "
            f"LEFT JOIN {Pillar._meta.db_table} pil ON pil.id = post.pillar_id "
            f"LEFT JOIN {get_user_model()._meta.db_table} author "
            f"ON author.id = post.created_by_id "
            f"WHERE pub.id IN ({', '.join(['%s'] * len(ids))}) "
            # As tiles_between reads them: a tile's accounts by network.
            f"ORDER BY pub.due_at, pub.post_id, acc.network, pub.account_id",
            [head_chars, *ids],
        )
        found = cursor.fetchall()
    rows: list[tuple[Any, ...]] = []
    for row in found:
        values = list(row)
        for index in DATETIME_COLUMNS:
            values[index] = _aware(values[index])
        rows.append(tuple(values))
    return rows, totals


def _aware(value: Any) -> datetime | None:
    """A time as the ORM would give it: aware, in UTC (SQLite hands back text or a naive
    time, PostgreSQL an aware one)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


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
