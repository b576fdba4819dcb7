"""Pages of the media library under /w/<workspace>/media/.

Files are served through `media_file` and `media_thumbnail` only, after the membership
check; nothing under MEDIA_ROOT is ever published as a static directory.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from townsquare.lib.errors import ActionError
from townsquare.media import actions
from townsquare.media.access import (
    access_media,
    access_media_asset,
    access_media_folder,
    access_media_folders,
    access_media_tags,
)
from townsquare.media.forms import EditForm, FolderForm, UploadForm
from townsquare.media.in_use import posts_using
from townsquare.media.models import MediaAsset
from townsquare.media.serving import stored_file_response
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

PER_PAGE = 48


def _context(membership: Membership, **extra: object) -> dict[str, object]:
    return {
        "membership": membership,
        "workspace": membership.workspace,
        "can_write": has_perm(membership.role, Perm.WRITE_DRAFTS),
        **extra,
    }


@workspace_view(methods=("GET",))
def library(request: HttpRequest, membership: Membership) -> HttpResponse:
    folder_id = request.GET.get("folder", "")
    folder = access_media_folder(membership, folder_id) if folder_id else None
    tag = request.GET.get("tag", "").strip().lower() or None
    kind = request.GET.get("kind") if request.GET.get("kind") in ("image", "video") else None
    assets = access_media(membership, folder=folder, tag=tag, kind=kind)
    page = Paginator(assets, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "media/library.html",
        _context(
            membership,
            page=page,
            folder=folder,
            tag=tag,
            kind=kind,
            folders=access_media_folders(membership),
            tags=access_media_tags(membership),
            folder_form=FolderForm(membership=membership),
        ),
    )


@workspace_view(Perm.WRITE_DRAFTS)
def upload(request: HttpRequest, membership: Membership) -> HttpResponse:
    initial = {}
    if request.GET.get("folder"):
        initial["folder"] = access_media_folder(membership, request.GET["folder"])
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, membership=membership)
    else:
        form = UploadForm(initial=initial, membership=membership)
    added: list[MediaAsset] = []
    if request.method == "POST" and form.is_valid():
        for file in form.cleaned_data["files"]:
            try:
                asset, created = actions.do_upload_media(
                    membership,
                    file,
                    tags=form.cleaned_data["tags"],
                    folder=form.cleaned_data["folder"],
                )
            except ActionError as error:
                form.add_error("files", f"{file.name}: {error.message}")
                continue
            if created:
                added.append(asset)
            else:
                messages.info(
                    request,
                    _("%(file)s is already in the library as %(name)s.")
                    % {"file": file.name, "name": asset},
                )
        if added:
            messages.success(
                request,
                _("Uploaded: %(names)s. Add alt text so that everyone can follow your posts.")
                % {"names": ", ".join(str(a) for a in added)},
            )
        if not form.errors:
            if len(added) == 1:
                return redirect(
                    "media_edit", workspace=membership.workspace.slug, asset_id=added[0].pk
                )
            return redirect("media_library", workspace=membership.workspace.slug)
    status = 400 if form.errors else 200
    return render(request, "media/upload.html", _context(membership, form=form), status=status)


@workspace_view(Perm.WRITE_DRAFTS, methods=("POST",))
def folder_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = FolderForm(request.POST, membership=membership)
    url = reverse("media_library", kwargs={"workspace": membership.workspace.slug})
    if not form.is_valid():
        messages.error(request, _("The folder needs a name."))
        return redirect(url)
    try:
        folder = actions.do_create_folder(
            membership, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"]
        )
    except ActionError as error:
        messages.error(request, error.message)
        return redirect(url)
    messages.success(request, _("Folder %(name)s created.") % {"name": folder.name})
    return redirect(f"{url}?folder={folder.pk}")


@workspace_view(lookups={"asset_id": access_media_asset})
def edit(request: HttpRequest, membership: Membership, asset_id: MediaAsset) -> HttpResponse:
    asset = asset_id
    initial = {
        "alt_text": asset.alt_text,
        "tags": ", ".join(asset.tag_names),
        "folder": asset.folder,
    }
    form = EditForm(request.POST or None, initial=initial, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_media(
                membership,
                asset,
                alt_text=form.cleaned_data["alt_text"],
                tags=form.cleaned_data["tags"],
                folder=form.cleaned_data["folder"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("media_edit", workspace=membership.workspace.slug, asset_id=asset.pk)
    return render(request, "media/edit.html", _context(membership, asset=asset, form=form))


@workspace_view(Perm.WRITE_DRAFTS, lookups={"asset_id": access_media_asset})
def delete(request: HttpRequest, membership: Membership, asset_id: MediaAsset) -> HttpResponse:
    asset = asset_id
    if request.method == "POST":
        try:
            actions.do_delete_media(membership, asset)
        except ActionError as error:
            # "In use" is explained by the list of posts the page shows; other refusals
            # are shown as they are.
            used_in = posts_using(asset)
            context = _context(membership, asset=asset, used_in=used_in)
            context["error"] = None if used_in else error.message
            return render(request, "media/delete.html", context, status=error.status)
        messages.success(request, _("%(name)s deleted.") % {"name": asset})
        return redirect("media_library", workspace=membership.workspace.slug)
    context = _context(membership, asset=asset, used_in=posts_using(asset))
    return render(request, "media/delete.html", context)


@workspace_view(methods=("GET",), lookups={"asset_id": access_media_asset})
def media_file(request: HttpRequest, membership: Membership, asset_id: MediaAsset) -> HttpResponse:
    asset = asset_id
    return stored_file_response(
        request,
        asset.file.name,
        asset.mime_type,
        asset.original_name or asset.file.name.rsplit("/", 1)[-1],
        as_attachment=request.GET.get("download") == "1",
    )


@workspace_view(methods=("GET",), lookups={"asset_id": access_media_asset})
def media_thumbnail(
    request: HttpRequest, membership: Membership, asset_id: MediaAsset
) -> HttpResponse:
    asset = asset_id
    return stored_file_response(request, asset.thumbnail.name, "image/webp", "thumbnail.webp")
