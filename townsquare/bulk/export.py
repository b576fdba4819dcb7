"""Exporting the workspace's posts as CSV or JSON, in the columns an import reads.

An export imports back: accounts by handle (with the network before it where two accounts
of the workspace share a handle), the time as the wall time in the workspace's zone,
hashtags, media by library id, campaign, pillar and audience by name. A post's time is the
earliest time it is scheduled or was due; a draft has none. Texts edited by hand for one
network are not part of the export: an import adapts the master text again.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch

from townsquare.bulk.parsing import FIELDS
from townsquare.content.access import access_posts
from townsquare.content.models import PostMedia, Variant
from townsquare.content.post_status import post_status
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, utc_to_local
from townsquare.workspaces.models import Membership

STATUSES = ("draft", "scheduled", "published", "failed", "unknown")
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class ExportFilter:
    start: date | None = None
    end: date | None = None
    status: str | None = None
    campaign: Campaign | None = None


def _time_of(publications: list[Publication]) -> datetime | None:
    live = [
        p
        for p in publications
        if p.due_at is not None and p.status not in (Status.CANCELLED, Status.DRAFT)
    ]
    return min((p.due_at for p in live if p.due_at), default=None)


def export_rows(
    membership: Membership, filters: ExportFilter | None = None
) -> list[dict[str, str]]:
    """The workspace's posts (filtered), oldest time first, drafts last."""
    filters = filters or ExportFilter()
    workspace = membership.workspace
    zone = workspace.time_zone
    posts = (
        access_posts(membership)
        .select_related("campaign", "pillar", "audience")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.select_related("account")),
            Prefetch("attachments", queryset=PostMedia.objects.order_by("position", "id")),
            Prefetch("publications", queryset=Publication.objects.select_related("account")),
        )
    )
    if filters.campaign is not None:
        posts = posts.filter(campaign=filters.campaign)
    handles: dict[str, int] = {}
    for handle in SocialAccount.objects.filter(workspace=workspace).values_list(
        "handle", flat=True
    ):
        key = handle.strip().casefold().lstrip("@")
        handles[key] = handles.get(key, 0) + 1
    found: list[tuple[tuple[Any, ...], dict[str, str]]] = []
    for post in posts:
        publications = list(post.publications.all())
        if filters.status and post_status(publications, zone).state != filters.status:
            continue
        moment = _time_of(publications)
        wall = utc_to_local(moment, zone) if moment else None
        if filters.start or filters.end:
            if wall is None:
                continue
            if filters.start and wall.date() < filters.start:
                continue
            if filters.end and wall.date() > filters.end:
                continue
        accounts = [v.account for v in post.variants.all() if v.account.removed_at is None]
        row = {
            "accounts": "|".join(_account_name(a, handles) for a in accounts),
            "time": wall.strftime("%Y-%m-%d %H:%M") if wall else "",
            "text": post.master_text,
            "language": post.language,
            "link": post.link_url,
            "hashtags": " ".join(post.hashtags),
            "media": "|".join(str(m.asset_id) for m in post.attachments.all()),
            "campaign": post.campaign.name if post.campaign else "",
            "pillar": post.pillar.name if post.pillar else "",
            "audience": post.audience.name if post.audience else "",
        }
        key = (wall is None, wall or datetime.min, post.created_at, post.pk)
        found.append((key, row))
    found.sort(key=lambda item: item[0])
    return [row for _key, row in found]


def _account_name(account: SocialAccount, handles: dict[str, int]) -> str:
    if handles.get(account.handle.strip().casefold().lstrip("@"), 0) > 1:
        return f"{account.network}:{account.handle}"
    return account.handle


def to_csv(rows: list[dict[str, str]]) -> str:
    """UTF-8 CSV with a byte order mark (spreadsheets then read umlauts right), commas."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FIELDS), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return "\ufeff" + out.getvalue()


def to_json(rows: list[dict[str, str]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def render(rows: list[dict[str, str]], fmt: str) -> tuple[str, str]:
    """(body, content type) of the export in a format."""
    if fmt == "json":
        return to_json(rows), "application/json; charset=utf-8"
    return to_csv(rows), "text/csv; charset=utf-8"


def file_name(workspace_slug: str, fmt: str, today: date) -> str:
    return f"{workspace_slug}-posts-{today.isoformat()}.{fmt}"
