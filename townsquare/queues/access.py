"""Tenant reads of the queues app: slots, series and their occurrences, evergreen posts."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.queues.models import Evergreen, Series, SeriesOccurrence, Slot
from townsquare.workspaces.models import Membership, Workspace


def access_slots(membership: Membership) -> QuerySet[Slot]:
    return Slot.objects.filter(
        workspace=membership.workspace, account__removed_at=None
    ).select_related("account")


def access_slot(membership: Membership, slot_id: int) -> Slot:
    try:
        return access_slots(membership).get(pk=slot_id)
    except Slot.DoesNotExist:
        raise Http404 from None


def access_queue_account(membership: Membership, account_id: int) -> SocialAccount:
    try:
        return SocialAccount.objects.get(workspace=membership.workspace, pk=account_id)
    except SocialAccount.DoesNotExist:
        raise Http404 from None


def access_queue_post(membership: Membership, post_id: int) -> Post:
    try:
        return Post.objects.get(workspace=membership.workspace, pk=post_id)
    except Post.DoesNotExist:
        raise Http404 from None


def access_series_list(membership: Membership) -> QuerySet[Series]:
    return Series.objects.filter(workspace=membership.workspace)


def access_series(membership: Membership, series_id: int) -> Series:
    try:
        return access_series_list(membership).get(pk=series_id)
    except Series.DoesNotExist:
        raise Http404 from None


def access_occurrence(membership: Membership, occurrence_id: int) -> SeriesOccurrence:
    try:
        return SeriesOccurrence.objects.select_related("series", "post").get(
            series__workspace=membership.workspace, pk=occurrence_id
        )
    except SeriesOccurrence.DoesNotExist:
        raise Http404 from None


def access_evergreen(membership: Membership, post: Post) -> Evergreen | None:
    return Evergreen.objects.filter(workspace=membership.workspace, post=post).first()


def series_post_ids(workspace: Workspace, post_ids: Iterable[int]) -> set[int]:
    """Which of these posts are occurrences of a recurring series (one query), for the
    calendar's "repeats" marker."""
    ids = list(post_ids)
    if not ids:
        return set()
    return set(
        SeriesOccurrence.objects.filter(series__workspace=workspace, post_id__in=ids).values_list(
            "post_id", flat=True
        )
    )
