"""Importing a network's own analytics export into an account's history.

One transaction for the whole file: the posts it names become tracked posts of the account
(or gain a snapshot where Townsquare already tracks them), each with the export's counters as
a snapshot of source "imported". Rows that cannot be read are reported by row and column and
left out; the others are kept. Importing the same file again adds nothing: a post whose
newest snapshot already holds the same imported counters is counted as unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from townsquare.analytics.import_messages import (
    row_error_text,
    unknown_layout_text,
    wrong_network_text,
)
from townsquare.analytics.imports.formats import detect
from townsquare.analytics.imports.rows import ImportedPost, RowError, read_rows
from townsquare.analytics.metric_names import ENGAGEMENT_METRICS, POST_METRICS
from townsquare.analytics.models import PostSnapshot, Source, TrackedPost
from townsquare.audit.record import record
from townsquare.bulk.messages import parse_error_message
from townsquare.bulk.parsing import ParseError, parse_file
from townsquare.lib.errors import ActionError
from townsquare.networks.access import access_account
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class ImportOutcome:
    export_label: str
    created: int
    updated: int
    unchanged: int
    errors: tuple[RowError, ...]
    error_texts: tuple[str, ...]
    missing_columns: tuple[str, ...] = field(default=())


def do_import_analytics(
    membership: Membership, account_id: int, data: bytes, filename: str = ""
) -> ImportOutcome:
    require(membership, Perm.CONNECT_ACCOUNTS)
    account = access_account(membership, account_id)
    try:
        table = parse_file(data, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    except ParseError as error:
        raise ActionError(parse_error_message(error)[_language()]) from None
    export = detect(table.headers)
    if export is None:
        raise ActionError(unknown_layout_text(table.headers))
    if account.network not in export.networks:
        raise ActionError(wrong_network_text(export, account.network))
    read = read_rows(table, export, ZoneInfo(membership.workspace.time_zone))
    now = timezone.now()
    with transaction.atomic():
        created, updated, unchanged = _store(membership, account, read.posts, export.key, now)
        record(
            actor=membership.user,
            action="analytics.import",
            target=account,
            workspace=membership.workspace,
            after={
                "export": export.key,
                "file": filename[:200],
                "created": created,
                "updated": updated,
                "unchanged": unchanged,
                "rows_with_errors": len({error.row for error in read.errors}),
            },
        )
    return ImportOutcome(
        export_label=export.label,
        created=created,
        updated=updated,
        unchanged=unchanged,
        errors=read.errors,
        error_texts=tuple(row_error_text(error) for error in read.errors),
        missing_columns=read.missing_columns,
    )


def _store(
    membership: Membership,
    account: SocialAccount,
    posts: tuple[ImportedPost, ...],
    export_key: str,
    now: datetime,
) -> tuple[int, int, int]:
    version = f"import:{export_key}"
    created = updated = unchanged = 0
    for start in range(0, len(posts), LOOKUP_CHUNK):
        chunk: list[ImportedPost] = list(posts[start : start + LOOKUP_CHUNK])
        known = {
            tracked.network_post_id: tracked
            for tracked in TrackedPost.objects.filter(
                account=account, network_post_id__in=[post.network_post_id for post in chunk]
            )
        }
        newest = _newest_imported(known.values())
        snapshots: list[PostSnapshot] = []
        for post in chunk:
            tracked = known.get(post.network_post_id)
            if tracked is None:
                tracked = TrackedPost.objects.create(
                    workspace=membership.workspace,
                    account=account,
                    network=account.network,
                    network_post_id=post.network_post_id,
                    published_at=post.published_at,
                    text_excerpt=post.text,
                    url=post.url,
                    source=Source.IMPORTED,
                )
                created += 1
            elif newest.get(tracked.pk) == _counters(post):
                unchanged += 1
                continue
            else:
                updated += 1
            snapshots.append(
                PostSnapshot(
                    post=tracked,
                    taken_at=now,
                    source=Source.IMPORTED,
                    raw=post.raw,
                    metric_map_version=version,
                    **_counters(post),
                )
            )
            _newest_counters_onto(tracked, post, now, version)
        PostSnapshot.objects.bulk_create(snapshots)
    return created, updated, unchanged


def _counters(post: ImportedPost) -> dict[str, int | None]:
    return {metric: post.counters.get(metric) for metric in POST_METRICS}


def _newest_imported(posts: Iterable[TrackedPost]) -> dict[int, dict[str, int | None]]:
    """Per tracked post, the counters of its newest snapshot when that one was imported."""
    ids = [post.pk for post in posts]
    newest: dict[int, dict[str, int | None]] = {}
    rows = (
        PostSnapshot.objects.filter(post_id__in=ids)
        .order_by("post_id", "-taken_at", "-id")
        .values("post_id", "source", *POST_METRICS)
    )
    for row in rows:
        if row["post_id"] in newest or row["source"] != Source.IMPORTED:
            newest.setdefault(row["post_id"], {})
            continue
        newest[row["post_id"]] = {metric: row[metric] for metric in POST_METRICS}
    return newest


def _newest_counters_onto(
    tracked: TrackedPost, post: ImportedPost, now: datetime, version: str
) -> None:
    # Counters read from the network later than this export was made stay the newest.
    if tracked.metrics_at is not None and tracked.metrics_at > now:
        return
    counters = _counters(post)
    for metric, value in counters.items():
        setattr(tracked, metric, value)
    tracked.engagements = sum(counters[m] or 0 for m in ENGAGEMENT_METRICS)
    tracked.metrics_at = now
    tracked.metric_map_version = version
    tracked.save(update_fields=[*POST_METRICS, "engagements", "metrics_at", "metric_map_version"])


def _language() -> str:
    from django.utils.translation import get_language

    return "de" if (get_language() or "en").startswith("de") else "en"
