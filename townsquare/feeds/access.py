"""Tenant reads of calendar feeds, and the one lookup of a feed by its secret token."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from townsquare.feeds.models import FeedToken
from townsquare.lib.bounds import id_from_text
from townsquare.workspaces.models import Membership

TOKEN_PREFIX = "tsf_"  # noqa: S105 - a visible prefix, so leaked feed addresses are recognisable
# What a token may look like: the prefix and URL-safe base64; anything else is unknown
# before the database is asked.
TOKEN_PATTERN = re.compile(r"tsf_[A-Za-z0-9_-]{20,100}")


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def access_feeds(membership: Membership) -> QuerySet[FeedToken]:
    return FeedToken.objects.filter(workspace=membership.workspace).select_related(
        "campaign", "created_by"
    )


def access_feed(membership: Membership, feed_id: Any) -> FeedToken:
    number = id_from_text(str(feed_id))
    feed = access_feeds(membership).filter(pk=number).first() if number else None
    if feed is None:
        raise Http404
    return feed


def feed_for_token(raw: str) -> FeedToken | None:
    """The feed a token opens: not revoked, and made by someone who is still a member of
    its workspace (a feed does not outlive its maker's membership). None otherwise."""
    if not TOKEN_PATTERN.fullmatch(raw):
        return None
    feed = (
        FeedToken.objects.select_related("workspace", "campaign")
        .filter(token_hash=hash_feed_token(raw), revoked_at=None)
        .first()
    )
    if feed is None or feed.created_by_id is None:
        return None
    if not Membership.objects.filter(workspace=feed.workspace, user_id=feed.created_by_id).exists():
        return None
    now = timezone.now()
    # One write per minute at most: calendar apps poll, and reading stays cheap.
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 60:
        FeedToken.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
    return feed
