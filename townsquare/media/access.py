"""Tenant reads of the media library. Another workspace's media does not exist: 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from townsquare.media.models import MediaAsset, MediaFolder, MediaTag
from townsquare.workspaces.models import Membership


def access_media(
    membership: Membership,
    *,
    folder: MediaFolder | None = None,
    tag: str | None = None,
    kind: str | None = None,
) -> QuerySet[MediaAsset]:
    """The workspace's assets, newest first, optionally in one folder, with one tag or kind."""
    assets = MediaAsset.objects.filter(workspace=membership.workspace)
    if folder is not None:
        assets = assets.filter(folder=folder)
    if tag:
        if "\x00" in tag:
            # No tag holds one (forms refuse it), and PostgreSQL cannot even compare it.
            return MediaAsset.objects.none()
        assets = assets.filter(tags__name=tag)
    if kind:
        assets = assets.filter(kind=kind)
    return assets.select_related("folder", "uploaded_by").prefetch_related("tags")


def access_media_asset(membership: Membership, asset_id: int) -> MediaAsset:
    try:
        return access_media(membership).get(pk=asset_id)
    except (MediaAsset.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_media_folders(membership: Membership) -> QuerySet[MediaFolder]:
    return MediaFolder.objects.filter(workspace=membership.workspace).select_related("parent")


def access_media_folder(membership: Membership, folder_id: int) -> MediaFolder:
    try:
        return access_media_folders(membership).get(pk=folder_id)
    except (MediaFolder.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_media_tags(membership: Membership) -> QuerySet[MediaTag]:
    return MediaTag.objects.filter(workspace=membership.workspace)
