"""The media library in the API: list, upload (multipart), read, change, delete, files."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from townsquare.lib.bounds import Id, Limit500, Offset
from townsquare.media import actions
from townsquare.media.access import (
    access_media,
    access_media_asset,
    access_media_folder,
    access_media_folders,
)
from townsquare.media.models import ALT_TEXT_MAX, MediaAsset, MediaFolder
from townsquare.media.serving import stored_file_response

router = Router(tags=["media"])


class MediaOut(Schema):
    id: int
    kind: str
    mime_type: str
    original_name: str
    size_bytes: int
    width: int | None
    height: int | None
    duration_seconds: float | None
    video_codec: str
    alt_text: str
    tags: list[str]
    folder_id: int | None
    usage_count: int
    sha256: str = Field(description="Of the file as uploaded; the same file is stored once")
    uploaded_by: str | None
    created_at: datetime
    file_url: str
    thumbnail_url: str | None


class UploadOut(MediaOut):
    duplicate: bool = Field(description="True when the workspace already had this file")


class MediaPatch(Schema):
    alt_text: str | None = Field(None, max_length=ALT_TEXT_MAX)
    tags: list[str] | None = Field(None, max_length=50)
    folder_id: Id | None = Field(None, description="null moves the item out of its folder")


class FolderIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    parent_id: Id | None = None


class FolderOut(Schema):
    id: int
    name: str
    path: str
    parent_id: int | None


def _out(request: HttpRequest, asset: MediaAsset, **extra: Any) -> dict[str, Any]:
    kwargs = {"workspace": request.membership.workspace.slug, "asset_id": asset.pk}  # type: ignore[attr-defined]
    return {
        "id": asset.pk,
        "kind": asset.kind,
        "mime_type": asset.mime_type,
        "original_name": asset.original_name,
        "size_bytes": asset.size_bytes,
        "width": asset.width,
        "height": asset.height,
        "duration_seconds": asset.duration_seconds,
        "video_codec": asset.video_codec,
        "alt_text": asset.alt_text,
        "tags": asset.tag_names,
        "folder_id": asset.folder_id,
        "usage_count": asset.usage_count,
        "sha256": asset.sha256,
        "uploaded_by": asset.uploaded_by.email if asset.uploaded_by else None,
        "created_at": asset.created_at,
        "file_url": reverse("api:media_file_content", kwargs=kwargs),
        "thumbnail_url": reverse("api:media_thumbnail_content", kwargs=kwargs)
        if asset.thumbnail
        else None,
        **extra,
    }


def _folder_out(folder: MediaFolder) -> FolderOut:
    return FolderOut(id=folder.pk, name=folder.name, path=folder.path, parent_id=folder.parent_id)


# Folder routes come first: "folders" must not be taken for an asset id.
@router.get("/workspaces/{workspace}/media/folders", response=list[FolderOut])
def list_folders(request: HttpRequest, workspace: str) -> list[FolderOut]:
    return [_folder_out(f) for f in access_media_folders(request.membership)]  # type: ignore[attr-defined]


@router.post("/workspaces/{workspace}/media/folders", response={201: FolderOut})
def create_folder(request: HttpRequest, workspace: str, body: FolderIn) -> Status:
    membership = request.membership  # type: ignore[attr-defined]
    parent = access_media_folder(membership, body.parent_id) if body.parent_id else None
    folder = actions.do_create_folder(membership, name=body.name, parent=parent)
    return Status(201, _folder_out(folder))


@router.get("/workspaces/{workspace}/media", response=list[MediaOut])
def list_media(
    request: HttpRequest,
    workspace: str,
    folder_id: Id | None = None,
    tag: str | None = None,
    kind: Literal["image", "video"] | None = None,
    limit: Limit500 = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Newest first; at most 500 per request."""
    membership = request.membership  # type: ignore[attr-defined]
    folder = access_media_folder(membership, folder_id) if folder_id else None
    assets = access_media(membership, folder=folder, tag=(tag or "").lower() or None, kind=kind)
    return [_out(request, a) for a in assets[offset : offset + limit]]


@router.post("/workspaces/{workspace}/media", response={200: UploadOut, 201: UploadOut})
def upload_media(
    request: HttpRequest,
    workspace: str,
    file: File[UploadedFile],
    alt_text: Form[str] = "",
    tags: Form[str] = "",
    folder_id: Form[Id | None] = None,
) -> Status:
    """Upload one image or video (multipart/form-data; tags comma separated). 201 when
    stored, 200 when the
    workspace already had the same file (returned unchanged). A refused file is a 400 (413
    when too large) whose message says why."""
    membership = request.membership  # type: ignore[attr-defined]
    folder = access_media_folder(membership, folder_id) if folder_id else None
    asset, created = actions.do_upload_media(
        membership, file, alt_text=alt_text, tags=tags, folder=folder
    )
    return Status(201 if created else 200, _out(request, asset, duplicate=not created))


@router.get("/workspaces/{workspace}/media/{asset_id}", response=MediaOut)
def get_media(request: HttpRequest, workspace: str, asset_id: Id) -> dict[str, Any]:
    asset = access_media_asset(request.membership, asset_id)  # type: ignore[attr-defined]
    return _out(request, asset)


@router.patch("/workspaces/{workspace}/media/{asset_id}", response=MediaOut)
def update_media(
    request: HttpRequest, workspace: str, asset_id: Id, body: MediaPatch
) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    asset = access_media_asset(membership, asset_id)
    changes: dict[str, Any] = {}
    given = body.model_dump(exclude_unset=True)
    if given.get("alt_text") is not None:
        changes["alt_text"] = given["alt_text"]
    if given.get("tags") is not None:
        changes["tags"] = given["tags"]
    if "folder_id" in given:
        folder_id = given["folder_id"]
        changes["folder"] = access_media_folder(membership, folder_id) if folder_id else None
    asset = actions.do_update_media(membership, asset, **changes)
    return _out(request, asset)


@router.delete("/workspaces/{workspace}/media/{asset_id}", response={204: None})
def delete_media(request: HttpRequest, workspace: str, asset_id: Id) -> Status:
    membership = request.membership  # type: ignore[attr-defined]
    actions.do_delete_media(membership, access_media_asset(membership, asset_id))
    return Status(204, None)


@router.get("/workspaces/{workspace}/media/{asset_id}/file", url_name="media_file_content")
def media_file_content(request: HttpRequest, workspace: str, asset_id: Id) -> HttpResponseBase:
    """The stored file itself (images without their metadata)."""
    asset = access_media_asset(request.membership, asset_id)  # type: ignore[attr-defined]
    return stored_file_response(
        request, asset.file.name, asset.mime_type, asset.original_name or "media"
    )


@router.get(
    "/workspaces/{workspace}/media/{asset_id}/thumbnail", url_name="media_thumbnail_content"
)
def media_thumbnail_content(request: HttpRequest, workspace: str, asset_id: Id) -> HttpResponseBase:
    """A WebP preview, 400 pixels on the long side; 404 for videos."""
    asset = access_media_asset(request.membership, asset_id)  # type: ignore[attr-defined]
    return stored_file_response(request, asset.thumbnail.name, "image/webp", "thumbnail.webp")
