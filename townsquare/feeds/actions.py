"""Make and revoke calendar feeds (audited)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.feeds.access import TOKEN_PREFIX, hash_feed_token
from townsquare.feeds.models import FeedToken
from townsquare.lib.bounds import id_from_text
from townsquare.lib.errors import ActionError
from townsquare.planning.models import Campaign
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm

# Active feeds one person may hold in one workspace.
MAX_FEEDS_PER_PERSON = 20
NAME_MAX = 100


def feed_url(raw: str) -> str:
    return settings.SITE_URL + reverse("feeds_ics", kwargs={"token": raw})


def _campaign(membership: Membership, campaign_id: Any) -> Campaign | None:
    if campaign_id in (None, ""):
        return None
    number = id_from_text(str(campaign_id))
    campaign = (
        Campaign.objects.filter(workspace=membership.workspace, pk=number).first()
        if number
        else None
    )
    if campaign is None:
        raise ActionError(
            _("There is no such campaign in this workspace."), code="campaign_not_found"
        )
    return campaign


@transaction.atomic
def do_create_feed(
    membership: Membership, *, name: str, campaign_id: Any = None
) -> tuple[FeedToken, str]:
    """A new feed and its token (shown once: only its hash is kept)."""
    require(membership, Perm.VIEW)
    name = (name or "").strip()
    if not name:
        raise ActionError(_("A calendar feed needs a name."), code="name_required")
    if len(name) > NAME_MAX:
        raise ActionError(
            _("The name is too long (at most %(max)s characters).") % {"max": NAME_MAX},
            code="name_too_long",
        )
    if "\x00" in name:
        raise ActionError(
            _("The name contains a character that is not allowed."), code="name_invalid"
        )
    campaign = _campaign(membership, campaign_id)
    active = FeedToken.objects.filter(
        workspace=membership.workspace, created_by=membership.user, revoked_at=None
    ).count()
    if active >= MAX_FEEDS_PER_PERSON:
        raise ActionError(
            _("You already have %(max)s calendar feeds here. Revoke one you no longer use.")
            % {"max": MAX_FEEDS_PER_PERSON},
            code="too_many_feeds",
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    feed = FeedToken.objects.create(
        workspace=membership.workspace,
        campaign=campaign,
        name=name,
        prefix=raw[:10],
        token_hash=hash_feed_token(raw),
        created_by=membership.user,
    )
    record(
        actor=membership.user,
        action="feed.create",
        target=feed,
        workspace=membership.workspace,
        after={"name": name, "campaign": campaign.name if campaign else "", "prefix": feed.prefix},
    )
    return feed, raw


def can_revoke(membership: Membership, feed: FeedToken) -> bool:
    return feed.created_by_id == membership.user_id or has_perm(membership.role, Perm.EDIT_PLAN)


@transaction.atomic
def do_revoke_feed(membership: Membership, feed: FeedToken) -> FeedToken:
    """Revoke a feed: its address answers 404 from now on. Its maker may revoke it, and
    whoever may edit the plan (owners, managers)."""
    require(membership, Perm.VIEW)
    if feed.workspace_id != membership.workspace_id:
        raise ActionError(_("No such calendar feed."), code="not_found", status=404)
    if not can_revoke(membership, feed):
        raise ActionError(
            _("Only the person who made this feed, or an owner or manager, can revoke it."),
            code="forbidden",
            status=403,
        )
    locked = FeedToken.objects.select_for_update().get(pk=feed.pk)
    if locked.revoked_at is not None:
        raise ActionError(
            _("This calendar feed is already revoked."), code="already_revoked", status=409
        )
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record(
        actor=membership.user,
        action="feed.revoke",
        target=locked,
        workspace=membership.workspace,
        before={"name": locked.name, "prefix": locked.prefix},
    )
    return locked
