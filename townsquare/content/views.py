"""The composer: write once, choose accounts, see every network's variant side by side, add
pictures with their alt text, and save, schedule or publish in one step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from townsquare.analytics.suggest_composer import (
    composer_suggestions,
    form_account_ids,
    with_suggested_time,
)
from townsquare.calendars.grid import compose_time
from townsquare.content import actions
from townsquare.content.access import access_post, access_posts, access_variant
from townsquare.content.composer_cards import live_cards, post_input, stored_card
from townsquare.content.composer_media import (
    MediaChange,
    MediaNote,
    convert_for_account,
    upload_from_composer,
)
from townsquare.content.forms import ComposeForm, ComposerUploadForm, accounts_queryset
from townsquare.content.models import HashtagSet, Post, PostTemplate, Snippet, Variant
from townsquare.content.post_status import post_status, statuses_of
from townsquare.lib.bounds import id_from_text
from townsquare.lib.errors import ActionError
from townsquare.media.access import access_media_asset
from townsquare.media.models import MediaAsset
from townsquare.planning.composer import add_plan_fields, plan_initial, plan_initial_from_data
from townsquare.publishing import actions as publishing_actions
from townsquare.publishing.models import Publication
from townsquare.publishing.panel import publishing_panel
from townsquare.publishing.schedule import utc_to_local
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view

# Network names that are words, not brands: translated where the composer shows them.
NETWORK_NAMES = (
    gettext_noop("LinkedIn (profile)"),
    gettext_noop("LinkedIn (page)"),
    gettext_noop("Facebook Page"),
    gettext_noop("Telegram channel"),
    gettext_noop("Matrix room"),
)
RECENT_MEDIA = 60
# Refusals of do_schedule_post that are about the time chosen: shown at the date field.
WHEN_CODES = frozenset({"in_the_past", "past", "when_past", "time_in_past", "invalid_time"})


def _now_local(membership: Membership) -> datetime:
    return utc_to_local(timezone.now(), membership.workspace.time_zone)


def _media_ids(values: list[str]) -> list[int]:
    return list(dict.fromkeys(int(v) for v in values if str(v).isdigit()))


def _media_choices(membership: Membership, selected: list[int]) -> list[MediaAsset]:
    """The newest items of the library, plus whatever is attached even if older."""
    workspace = membership.workspace
    recent = list(
        MediaAsset.objects.filter(workspace=workspace).order_by("-created_at")[:RECENT_MEDIA]
    )
    missing = set(selected) - {a.pk for a in recent}
    if missing:
        recent += list(MediaAsset.objects.filter(workspace=workspace, pk__in=missing))
    return recent


def _form(
    membership: Membership,
    data: QueryDict | None = None,
    initial: dict[str, Any] | None = None,
    *,
    scheduling: bool = False,
) -> ComposeForm:
    workspace = membership.workspace
    selected = _media_ids(
        data.getlist("media") if data is not None else (initial or {}).get("media", [])
    )
    form = ComposeForm(
        data,
        initial=initial,
        accounts=list(accounts_queryset(workspace)),
        hashtag_sets=list(HashtagSet.objects.filter(workspace=workspace)),
        media=_media_choices(membership, selected),
        time_zone=workspace.time_zone,
        now_local=_now_local(membership),
        scheduling=scheduling,
    )
    add_plan_fields(form, workspace)
    return form


def _suggested_time(membership: Membership) -> datetime:
    """The next full hour but one: a time that is still ahead when the person is done."""
    return (_now_local(membership) + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)


def _initial_from_template(membership: Membership, request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "language": membership.workspace.language,
        # ?at= (an empty day or hour of the calendar): a malformed or past time is ignored.
        "when": compose_time(request.GET.get("at"), _now_local(membership))
        or _suggested_time(membership),
    }
    template_id = id_from_text(request.GET.get("template", ""))
    if template_id is not None:
        template = PostTemplate.objects.filter(
            workspace=membership.workspace, pk=template_id
        ).first()
        if template:
            initial.update(
                text=template.text, language=template.language, hashtags=" ".join(template.hashtags)
            )
    return initial


def _initial_from_post(membership: Membership, post: Post, when: datetime | None) -> dict[str, Any]:
    return {
        "text": post.master_text,
        "language": post.language,
        "link_url": post.link_url,
        "hashtags": " ".join(post.hashtags),
        "hashtag_sets": post.hashtag_sets,
        "content_warning": post.content_warning,
        "accounts": [str(v.account_id) for v in post.variants.all()],
        "media": [str(a.asset_id) for a in post.attachments.all()],
        "when": when or _suggested_time(membership),
        **plan_initial(post),
    }


def _initial_from_data(data: QueryDict, media_ids: list[int]) -> dict[str, Any]:
    """What the person typed, as the starting values of a fresh form: re-shown after adding
    or converting a picture without the errors of fields they have not filled in yet."""
    initial: dict[str, Any] = {
        name: data.get(name, "")
        for name in ("text", "language", "link_url", "hashtags", "content_warning", "when")
    }
    initial["hashtag_sets"] = data.getlist("hashtag_sets")
    initial.update(plan_initial_from_data(data))
    initial["accounts"] = data.getlist("accounts")
    initial["media"] = [str(i) for i in media_ids]
    return initial


def _page_url(membership: Membership, post: Post | None) -> str:
    if post is not None:
        return reverse(
            "content_post", kwargs={"workspace": membership.workspace.slug, "post_id": post.pk}
        )
    return reverse("workspace_compose", kwargs={"workspace": membership.workspace.slug})


def _context(
    membership: Membership, form: ComposeForm, post: Post | None = None, **extra: Any
) -> dict[str, Any]:
    workspace = membership.workspace
    return {
        "membership": membership,
        "workspace": workspace,
        "form": form,
        "post": post,
        "page_url": _page_url(membership, post),
        "upload_form": ComposerUploadForm(),
        "can_schedule": has_perm(membership.role, Perm.SCHEDULE_POSTS),
        "time_zone": workspace.time_zone,
        "templates": PostTemplate.objects.filter(workspace=workspace),
        "snippets": Snippet.objects.filter(workspace=workspace),
        "has_accounts": accounts_queryset(workspace).exists(),
        **extra,
    }


def _stored_cards(post: Post) -> list[dict[str, Any]]:
    assets = [a.asset for a in post.attachments.select_related("asset")]
    return [
        stored_card(v, assets) for v in post.variants.select_related("account", "post__workspace")
    ]


def _render_page(
    request: HttpRequest, membership: Membership, form: ComposeForm, post: Post | None, **extra: Any
) -> HttpResponse:
    context = _context(membership, form, post, **extra)
    context["suggested"] = composer_suggestions(membership, form_account_ids(form))
    if post is not None:
        status = post_status(
            Publication.objects.filter(post=post).select_related("account"),
            membership.workspace.time_zone,
        )
        context.update(status=status, **publishing_panel(membership, post))
        if "previews" not in extra:
            context.update(previews=_stored_cards(post), stored=True)
    return render(request, "content/compose.html", context)


# --- adding and converting pictures -------------------------------------------------------------


def _convert(
    membership: Membership, value: str, data: QueryDict, media_ids: list[int]
) -> MediaChange:
    asset_id, _sep, account_id = value.partition(":")
    try:
        asset = access_media_asset(membership, int(asset_id))
    except (Http404, ValueError):
        return MediaChange(
            media_ids, MediaNote("error", _("This picture is no longer in the media library."))
        )
    chosen = list(
        accounts_queryset(membership.workspace).filter(pk__in=_media_ids(data.getlist("accounts")))
    )
    account = next((a for a in chosen if str(a.pk) == account_id), None)
    if account is None or asset.pk not in media_ids:
        return MediaChange(
            media_ids,
            MediaNote(
                "error", _("Choose the picture and the account again; the form had changed.")
            ),
        )
    return convert_for_account(membership, asset, account, chosen, media_ids)


def _media_step(request: HttpRequest, membership: Membership) -> MediaChange | None:
    """Add the chosen file and convert a picture, if asked; None when neither was asked."""
    data = request.POST
    media_ids = _media_ids(data.getlist("media"))
    change = None
    upload = request.FILES.get("upload")
    if upload is not None:
        upload_form = ComposerUploadForm(data, request.FILES)
        if not upload_form.is_valid():
            errors = {name: " ".join(e) for name, e in upload_form.errors.items()}
            return MediaChange(media_ids, errors=errors)
        change = upload_from_composer(
            membership, upload, upload_form.cleaned_data["upload_alt"], media_ids
        )
        if change.errors:
            return change
        media_ids = change.media_ids
    elif data.get("action") == "upload":
        return MediaChange(media_ids, errors={"upload": _("Choose a file to add first.")})
    if data.get("convert"):
        converted = _convert(membership, data["convert"], data, media_ids)
        if change is not None and change.note and converted.note:
            converted.note.text = f"{change.note.text} {converted.note.text}"
        change = converted
    return change


def _media_response(
    request: HttpRequest, membership: Membership, post: Post | None, change: MediaChange
) -> HttpResponse:
    """The picker again with the change applied and everything typed kept: only the picker
    for htmx, the whole page otherwise. Nothing is saved until the person saves."""
    data = request.POST
    form = _form(membership, initial=_initial_from_data(data, change.media_ids))
    # htmx swaps only successful answers in; a refusal is an answer too, so it is a 200.
    upload_form = ComposerUploadForm(data, request.FILES) if change.errors else ComposerUploadForm()
    for name, message in change.errors.items():
        if not upload_form.errors.get(name):
            upload_form.add_error(name if name in upload_form.fields else None, message)
    extra: dict[str, Any] = {
        "upload_form": upload_form,
        "media_note": change.note,
        "media_changed": True,
    }
    if request.htmx:
        context = _context(membership, form, post, **extra)
        return render(request, "content/_media_field.html", context)
    previews: list[dict[str, Any]] = []
    preview_data = data.copy()
    preview_data.setlist("media", [str(i) for i in change.media_ids])
    check = _form(membership, preview_data)
    if check.is_valid():
        previews = live_cards(membership, check)
    if previews or post is None:
        extra["previews"] = previews
    return _render_page(request, membership, form, post, **extra)


# --- saving, scheduling, publishing --------------------------------------------------------------


def _save(membership: Membership, form: ComposeForm, post: Post | None, action: str) -> Post | None:
    """Save the draft, and schedule or publish it in the same transaction: if the schedule is
    refused, nothing is saved and the form shows why, with everything kept."""
    account_ids = [int(pk) for pk in form.cleaned_data["accounts"]]
    try:
        with transaction.atomic():
            saved = actions.do_save_post(membership, post_input(form), account_ids, post=post)
            if action in ("schedule", "queue"):
                from townsquare.queues.composer import schedule_from_composer

                schedule_from_composer(membership, saved, action, form)
            elif action == "now":
                publishing_actions.do_schedule_post(membership, saved, None)
            elif action == "review":
                from townsquare.approvals.review_actions import do_submit_for_review

                do_submit_for_review(membership, saved, form.cleaned_data["when"])
    except ActionError as error:
        form.add_error("when" if error.code in WHEN_CODES else None, error.message)
        return None
    except PermissionDenied:
        form.add_error(
            None, _("Only managers and owners may schedule or publish; save it as a draft.")
        )
        return None
    return saved


def _saved_message(
    request: HttpRequest, membership: Membership, post: Post, action: str, existed: bool
) -> None:
    if action == "now":
        messages.success(request, _("Saved. Publishing now."))
        return
    if action == "review":
        messages.success(request, _("Saved and submitted for review."))
        return
    if action in ("schedule", "queue"):
        status = post_status(
            Publication.objects.filter(post=post).select_related("account"),
            membership.workspace.time_zone,
        )
        messages.success(request, _("Saved. %(status)s.") % {"status": status.title})
        return
    if existed:
        messages.success(request, _("Draft saved. Variants you edited by hand were kept."))
    else:
        messages.success(request, _("Draft saved."))


def _compose(
    request: HttpRequest, membership: Membership, post: Post | None, initial: dict[str, Any]
) -> HttpResponse:
    if request.method != "POST":
        return _render_page(request, membership, _form(membership, initial=initial), post)
    suggested = with_suggested_time(request.POST)
    if suggested is not None:
        # A suggested time pressed without JavaScript: the page again with it filled in and
        # everything typed kept, without errors for fields not filled in yet.
        media_ids = _media_ids(suggested.getlist("media"))
        initial = _initial_from_data(suggested, media_ids)
        return _render_page(request, membership, _form(membership, initial=initial), post)
    change = _media_step(request, membership)
    action = request.POST.get("action", "preview")
    if change is not None and (change.errors or action == "upload" or request.POST.get("convert")):
        return _media_response(request, membership, post, change)
    data = request.POST
    if change is not None:
        data = data.copy()
        data.setlist("media", [str(i) for i in change.media_ids])
    form = _form(membership, data, scheduling=action in ("schedule", "review"))
    extra: dict[str, Any] = {"media_note": change.note if change else None}
    if form.is_valid():
        if action in ("save", "schedule", "now", "review", "queue"):
            saved = _save(membership, form, post, action)
            if saved is not None:
                _saved_message(request, membership, saved, action, existed=post is not None)
                return redirect(
                    "content_post", workspace=membership.workspace.slug, post_id=saved.pk
                )
        extra["previews"] = live_cards(membership, form)
    elif post is None:
        extra["previews"] = []
    return _render_page(request, membership, form, post, **extra)


@workspace_view(Perm.WRITE_DRAFTS)
def compose_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _compose(request, membership, None, _initial_from_template(membership, request))


@workspace_view(Perm.WRITE_DRAFTS, methods=("POST",))
def compose_preview(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The live preview (htmx): the previews for what is in the form right now."""
    form = _form(membership, request.POST)
    previews = live_cards(membership, form) if form.is_valid() else []
    post = None
    if request.POST.get("post", "").isdigit():
        try:
            post = access_post(membership, int(request.POST["post"]))
        except Http404:
            post = None
    return render(
        request,
        "content/_previews.html",
        {
            "previews": previews,
            "form": form,
            "workspace": membership.workspace,
            "page_url": _page_url(membership, post),
            "live": True,
        },
    )


@workspace_view(lookups={"post_id": access_post})
def post_detail(request: HttpRequest, membership: Membership, post_id: Post) -> HttpResponse:
    post = post_id
    status = post_status(
        Publication.objects.filter(post=post).select_related("account"),
        membership.workspace.time_zone,
    )
    return _compose(request, membership, post, _initial_from_post(membership, post, status.when))


@workspace_view(Perm.WRITE_DRAFTS, methods=("POST",), lookups={"variant_id": access_variant})
def variant_edit(request: HttpRequest, membership: Membership, variant_id: Variant) -> HttpResponse:
    from townsquare.content.forms import VariantEditForm

    variant = variant_id
    form = VariantEditForm(request.POST)
    try:
        if request.POST.get("action") == "reset":
            actions.do_reset_variant(membership, variant)
            messages.success(request, _("The variant is adapted from the message again."))
        elif form.is_valid():
            actions.do_edit_variant(membership, variant, form.cleaned_data["text"])
            messages.success(request, _("Your wording is kept, also when the message changes."))
        else:
            messages.error(request, _("The text of a variant cannot be empty."))
    except ActionError as error:
        messages.error(request, error.message)
    return redirect("content_post", workspace=membership.workspace.slug, post_id=variant.post_id)


@workspace_view(Perm.WRITE_DRAFTS, methods=("POST",), lookups={"post_id": access_post})
def post_delete(request: HttpRequest, membership: Membership, post_id: Post) -> HttpResponse:
    was_draft = not Publication.objects.filter(post=post_id).exists()
    try:
        actions.do_delete_post(membership, post_id)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("content_post", workspace=membership.workspace.slug, post_id=post_id.pk)
    messages.success(request, _("Draft deleted.") if was_draft else _("Post deleted."))
    return redirect("content_posts", workspace=membership.workspace.slug)


@workspace_view(methods=("GET",))
def post_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    posts = list(
        access_posts(membership)
        .select_related("campaign", "pillar", "audience")
        .prefetch_related("variants__account")
    )
    statuses = statuses_of(posts, membership.workspace.time_zone)
    rows = [(post, statuses[post.pk]) for post in posts]
    return render(
        request,
        "content/posts.html",
        {"membership": membership, "workspace": membership.workspace, "rows": rows},
    )
