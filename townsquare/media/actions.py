"""Writes to the media library. Each one checks the permission, runs in a transaction and is
audited. Files are written before the row and removed again if the row cannot be saved, so
a failed upload leaves neither a row nor a file behind."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.media.convert import convert_image
from townsquare.media.decoding import clean_still, open_still, thumbnail
from townsquare.media.facts import MediaRejected
from townsquare.media.in_use import refuse_if_in_use
from townsquare.media.limits import MediaLimits
from townsquare.media.models import ALT_TEXT_MAX, MediaAsset, MediaFolder, MediaTag
from townsquare.media.processing import (
    EXTENSIONS,
    ProcessedUpload,
    UploadLimits,
    process_upload,
)
from townsquare.media.video import blank_metadata
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

TAG_MAX_LENGTH = 40
TAGS_PER_ASSET = 20
FOLDER_MAX_DEPTH = 5
AUDIT_FIELDS = ("original_name", "kind", "mime_type", "size_bytes", "alt_text", "folder")


def rejection(error: MediaRejected) -> ActionError:
    """The processing verdict in the person's language, as an action error."""
    status = 413 if error.problem.code == "too_large" else 400
    message = error.problem.message(get_language())
    return ActionError(message, code=error.problem.code, status=status)


def _same_workspace(membership: Membership, obj: Any) -> None:
    if obj is not None and obj.workspace_id != membership.workspace_id:
        raise Http404


def _audit_state(asset: MediaAsset) -> dict[str, Any]:
    return {**snapshot(asset, AUDIT_FIELDS), "tags": sorted(asset.tag_names)}


def clean_alt_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > ALT_TEXT_MAX:
        raise ActionError(
            _("Alt text may be at most %(max)s characters; this one has %(count)s.")
            % {"max": ALT_TEXT_MAX, "count": len(text)},
            code="alt_text_too_long",
        )
    return text


def normalise_tags(raw: str | Iterable[str]) -> list[str]:
    """Tags as stored: comma separated on input, lower case, no leading #, single spaces."""
    items = raw.split(",") if isinstance(raw, str) else raw
    names: list[str] = []
    for item in items:
        name = " ".join(str(item).split()).lstrip("#").strip().lower()
        if not name or name in names:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise ActionError(
                _("A tag may be at most %(max)s characters: %(tag)s")
                % {"max": TAG_MAX_LENGTH, "tag": name},
                code="tag_too_long",
            )
        names.append(name)
    if len(names) > TAGS_PER_ASSET:
        raise ActionError(
            _("An item may have at most %(max)s tags.") % {"max": TAGS_PER_ASSET},
            code="too_many_tags",
        )
    return names


def _set_tags(asset: MediaAsset, names: list[str]) -> None:
    workspace_id = asset.workspace_id
    tags = [MediaTag.objects.get_or_create(workspace_id=workspace_id, name=n)[0] for n in names]
    asset.tags.set(tags)
    MediaTag.objects.filter(workspace_id=asset.workspace_id, assets__isnull=True).delete()


def _safe_original_name(name: str | None) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    return "".join(ch for ch in base if ch.isprintable())[:255]


def _store(
    workspace_id: int, processed: ProcessedUpload, upload: IO[bytes] | None, saved: list[str]
) -> tuple[str, str]:
    """Write the file (and thumbnail) under a random name; returns (file, thumbnail) names.

    `saved` collects every written name at once, so the caller can remove them on failure.
    `upload` is needed only for videos (stored from the upload); images bring their content.
    """
    stem = f"{workspace_id}/{timezone.now():%Y}/{secrets.token_hex(16)}"
    if processed.content is not None:
        name = default_storage.save(f"{stem}.{processed.extension}", ContentFile(processed.content))
        saved.append(name)
    elif upload is None:
        raise ValueError("a video is stored from its upload")
    elif processed.metadata_ranges:
        # Blank the metadata boxes in a private copy; the upload itself stays untouched.
        with tempfile.TemporaryFile() as copy:
            upload.seek(0)
            shutil.copyfileobj(upload, copy, 1024 * 1024)
            blank_metadata(copy, processed.metadata_ranges)
            copy.seek(0)
            name = default_storage.save(f"{stem}.{processed.extension}", File(copy))
            saved.append(name)
    else:
        upload.seek(0)
        name = default_storage.save(f"{stem}.{processed.extension}", File(upload))
        saved.append(name)
    thumb = ""
    if processed.thumbnail is not None:
        thumb = default_storage.save(f"{stem}-thumb.webp", ContentFile(processed.thumbnail))
        saved.append(thumb)
    return name, thumb


def _remove(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def do_upload_media(
    membership: Membership,
    upload: Any,
    *,
    alt_text: str = "",
    tags: str | Iterable[str] = (),
    folder: MediaFolder | None = None,
    limits: UploadLimits | None = None,
) -> tuple[MediaAsset, bool]:
    """Check, clean and store one uploaded file. Returns (asset, created); created is False
    when the workspace already has the same file, which is then returned unchanged.

    `upload` is any Django File (an UploadedFile from a form, a ContentFile in code).
    Processing runs before the transaction opens: decoding a large image takes a while and
    on SQLite an open write transaction blocks every other writer.
    """
    require(membership, Perm.WRITE_DRAFTS)
    _same_workspace(membership, folder)
    alt_text = clean_alt_text(alt_text)
    tag_names = normalise_tags(tags)
    try:
        processed = process_upload(upload, size=upload.size, limits=limits)
    except MediaRejected as error:
        raise rejection(error) from None
    audit: dict[str, Any] = {}
    if processed.reduced_from is not None:  # a photo larger than the budget, read smaller
        audit["reduced_from"] = list(processed.reduced_from)
    return _create_asset(
        membership,
        processed,
        upload,
        original_name=getattr(upload, "name", ""),
        alt_text=alt_text,
        tag_names=tag_names,
        folder=folder,
        audit=audit,
    )


def _create_asset(
    membership: Membership,
    processed: ProcessedUpload,
    upload: IO[bytes] | None,
    *,
    original_name: str,
    alt_text: str,
    tag_names: list[str],
    folder: MediaFolder | None,
    audit: dict[str, Any] | None = None,
) -> tuple[MediaAsset, bool]:
    """Store a processed file and its row, or return the workspace's copy of the same bytes."""
    workspace = membership.workspace
    existing = MediaAsset.objects.filter(workspace=workspace, sha256=processed.sha256).first()
    if existing is not None:
        return existing, False
    facts = processed.facts
    saved: list[str] = []
    try:
        with transaction.atomic():
            name, thumb = _store(workspace.pk, processed, upload, saved)
            asset = MediaAsset.objects.create(
                workspace=workspace,
                folder=folder,
                file=name,
                thumbnail=thumb,
                original_name=_safe_original_name(original_name),
                kind=facts.kind.value,
                mime_type=facts.mime_type,
                size_bytes=facts.size_bytes,
                width=facts.width,
                height=facts.height,
                duration_seconds=facts.duration_seconds,
                video_codec=facts.video_codec[:32],
                sha256=processed.sha256,
                alt_text=alt_text,
                uploaded_by=membership.user,
            )
            _set_tags(asset, tag_names)
            record(
                actor=membership.user,
                action="media.upload",
                target=asset,
                workspace=workspace,
                after={**_audit_state(asset), **(audit or {})},
            )
    except IntegrityError:
        _remove(saved)
        # The same file, uploaded at the same moment by someone else: theirs won.
        existing = MediaAsset.objects.filter(workspace=workspace, sha256=processed.sha256).first()
        if existing is None:
            raise
        return existing, False
    except BaseException:
        _remove(saved)
        raise
    return asset, True


def do_convert_media(
    membership: Membership, asset: MediaAsset, limits: MediaLimits
) -> tuple[MediaAsset, tuple[str, ...]]:
    """A copy of a library picture that fits `limits` (a network's formats and byte limit),
    stored in the library beside the original with the same alt text, tags and folder.
    Returns (copy, steps taken); converting the same picture again returns the same copy.

    The copy is stored exactly as converted: running it through upload processing again
    would re-encode it at full quality and undo the fitting to the byte limit.
    """
    require(membership, Perm.WRITE_DRAFTS)
    _same_workspace(membership, asset)
    if asset.kind != "image":
        raise ActionError(
            _("Only pictures can be converted; export the video again in the right format."),
            code="not_an_image",
        )
    with default_storage.open(asset.file.name, "rb") as stored:
        data = stored.read()
    try:
        converted = convert_image(data, limits)
    except MediaRejected as error:
        raise rejection(error) from None
    if not converted.steps:
        return asset, ()
    facts = converted.facts
    try:
        copy = open_still(converted.data, facts.mime_type)
    except MediaRejected as error:
        raise rejection(error) from None
    processed = ProcessedUpload(
        facts=facts,
        extension=EXTENSIONS[facts.mime_type],
        sha256=hashlib.sha256(converted.data).hexdigest(),
        content=converted.data,
        thumbnail=thumbnail(clean_still(copy.image)),
    )
    stem = os.path.splitext(asset.original_name or f"media-{asset.pk}")[0]
    suffix = f" ({limits.network})" if limits.network else ""
    return _create_asset(
        membership,
        processed,
        None,
        original_name=f"{stem}{suffix}.{processed.extension}",
        alt_text=asset.alt_text,
        tag_names=asset.tag_names,
        folder=asset.folder,
        audit={"converted_from": asset.pk, "steps": list(converted.steps)},
    )[0], converted.steps


_UNSET: Any = object()


@transaction.atomic
def do_update_media(
    membership: Membership,
    asset: MediaAsset,
    *,
    alt_text: str = _UNSET,
    tags: str | Iterable[str] = _UNSET,
    folder: MediaFolder | None = _UNSET,
) -> MediaAsset:
    """Change alt text, tags or folder; arguments left out stay as they are."""
    require(membership, Perm.WRITE_DRAFTS)
    _same_workspace(membership, asset)
    before = _audit_state(asset)
    if alt_text is not _UNSET:
        asset.alt_text = clean_alt_text(alt_text)
    if folder is not _UNSET:
        _same_workspace(membership, folder)
        asset.folder = folder
    asset.save(update_fields=["alt_text", "folder"])
    if tags is not _UNSET:
        _set_tags(asset, normalise_tags(tags))
    after = _audit_state(asset)
    if after != before:
        record(
            actor=membership.user,
            action="media.update",
            target=asset,
            workspace=membership.workspace,
            before=before,
            after=after,
        )
    return asset


@transaction.atomic
def do_delete_media(membership: Membership, asset: MediaAsset) -> None:
    """Delete an item; its files go once the deletion is committed, never before."""
    require(membership, Perm.WRITE_DRAFTS)
    _same_workspace(membership, asset)
    if asset.uploaded_by_id != membership.user_id:
        require(membership, Perm.EDIT_ANY_POST)
    refuse_if_in_use(asset)
    names = [asset.file.name, asset.thumbnail.name]
    record(
        actor=membership.user,
        action="media.delete",
        target=asset,
        workspace=membership.workspace,
        before={**_audit_state(asset), "usage_count": asset.usage_count},
    )
    workspace_id = asset.workspace_id
    asset.delete()
    MediaTag.objects.filter(workspace_id=workspace_id, assets__isnull=True).delete()
    transaction.on_commit(lambda: _remove(names))


@transaction.atomic
def do_create_folder(
    membership: Membership, *, name: str, parent: MediaFolder | None = None
) -> MediaFolder:
    require(membership, Perm.WRITE_DRAFTS)
    _same_workspace(membership, parent)
    name = " ".join((name or "").split())
    if not name:
        raise ActionError(_("A folder needs a name."), code="name_required")
    if len(name) > 120:
        raise ActionError(_("A folder name may be at most 120 characters."), code="name_too_long")
    depth, ancestor = 1, parent
    while ancestor is not None:
        depth, ancestor = depth + 1, ancestor.parent
    if depth > FOLDER_MAX_DEPTH:
        raise ActionError(
            _("Folders can be nested at most %(max)s deep.") % {"max": FOLDER_MAX_DEPTH},
            code="too_deep",
        )
    siblings = MediaFolder.objects.filter(workspace=membership.workspace, parent=parent)
    if siblings.filter(name__iexact=name).exists():
        raise ActionError(
            _("There is already a folder called %(name)s here.") % {"name": name},
            code="folder_exists",
        )
    folder = MediaFolder.objects.create(workspace=membership.workspace, name=name, parent=parent)
    record(
        actor=membership.user,
        action="media.folder_create",
        target=folder,
        workspace=membership.workspace,
        after={"name": name, "parent": parent.pk if parent else None},
    )
    return folder


@transaction.atomic
def do_record_usage(
    membership: Membership | None, asset: MediaAsset, *, delta: int = 1, reason: str = ""
) -> MediaAsset:
    """Count a use of the item (a post attached it: +1; the post let go of it: -1).

    `membership` is None when the system itself records the use, e.g. the publishing task.
    The row is locked while counting, so concurrent uses are never lost.
    """
    if membership is not None:
        _same_workspace(membership, asset)
        require(membership, Perm.WRITE_DRAFTS)
    before = MediaAsset.objects.select_for_update().values_list("usage_count", flat=True)
    before_count = before.get(pk=asset.pk)
    asset.usage_count = max(before_count + delta, 0)
    MediaAsset.objects.filter(pk=asset.pk).update(usage_count=asset.usage_count)
    record(
        actor=membership.user if membership is not None else None,
        action="media.usage",
        target=asset,
        workspace=asset.workspace,
        before={"usage_count": before_count},
        after={"usage_count": asset.usage_count, "reason": reason[:200]},
    )
    return asset
