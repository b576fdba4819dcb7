"""Tenant reads of analytics: every query starts from the acting membership's workspace, so
one workspace never sees another's counters."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from townsquare.analytics.models import (
    AccountSnapshot,
    CollectionState,
    PostDayTotal,
    PostSnapshot,
    TrackedPost,
)
from townsquare.workspaces.models import Membership


def access_tracked_posts(membership: Membership) -> QuerySet[TrackedPost]:
    return TrackedPost.objects.filter(workspace=membership.workspace)


def access_tracked_post(membership: Membership, post_id: int) -> TrackedPost:
    """The workspace's tracked post, or 404 (also for another workspace's)."""
    found = (
        access_tracked_posts(membership)
        .select_related("account", "publication", "publication__post")
        .filter(pk=post_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_post_day_totals(membership: Membership) -> QuerySet[PostDayTotal]:
    return PostDayTotal.objects.filter(workspace=membership.workspace)


def access_post_snapshots(membership: Membership) -> QuerySet[PostSnapshot]:
    return PostSnapshot.objects.filter(post__workspace=membership.workspace)


def access_account_snapshots(membership: Membership) -> QuerySet[AccountSnapshot]:
    return AccountSnapshot.objects.filter(workspace=membership.workspace)


def access_collection_states(membership: Membership) -> QuerySet[CollectionState]:
    return CollectionState.objects.filter(account__workspace=membership.workspace)
