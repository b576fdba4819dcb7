"""The composer: write once, choose accounts, see every network's variant side by side."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from townsquare.content import actions
from townsquare.content.access import access_post, access_posts, access_variant
from townsquare.content.actions import PART_SEPARATOR, PostInput
from townsquare.content.forms import ComposeForm, VariantEditForm, accounts_queryset
from townsquare.content.models import HashtagSet, Post, PostTemplate, Snippet, Variant
from townsquare.content.service import compose, media_inputs
from townsquare.lib.errors import ActionError
from townsquare.media.models import MediaAsset
from townsquare.publishing.panel import publishing_panel
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view


def _form(membership: Membership, data=None, initial=None) -> ComposeForm:
    workspace = membership.workspace
    return ComposeForm(
        data,
        initial=initial,
        accounts=list(accounts_queryset(workspace)),
        hashtag_sets=list(HashtagSet.objects.filter(workspace=workspace)),
        media=list(MediaAsset.objects.filter(workspace=workspace).order_by("-created_at")[:60]),
    )


def _post_input(form: ComposeForm) -> PostInput:
    data = form.cleaned_data
    return PostInput(
        text=data["text"],
        language=data["language"],
        link_url=data.get("link_url") or "",
        hashtags=tuple(data.get("hashtags") or ()),
        hashtag_sets=tuple(data.get("hashtag_sets") or ()),
        content_warning=data.get("content_warning") or "",
        media_ids=tuple(int(pk) for pk in data.get("media") or ()),
    )


def _previews(membership: Membership, form: ComposeForm) -> list[dict]:
    """Preview cards for a valid form, or nothing; never saves."""
    data = _post_input(form)
    try:
        text = actions.clean_text(data.text)
    except ActionError as error:
        form.add_error("text", error.message)
        return []
    ids = [int(pk) for pk in form.cleaned_data["accounts"]]
    accounts = list(accounts_queryset(membership.workspace).filter(pk__in=ids))
    assets = MediaAsset.objects.filter(workspace=membership.workspace, pk__in=data.media_ids)
    by_id = {a.pk: a for a in assets}
    results = compose(
        membership.workspace,
        PostInput(**{**data.__dict__, "text": text}).master(),
        accounts,
        content_warning=data.content_warning,
        media=media_inputs(by_id[i] for i in data.media_ids if i in by_id),
    )
    return [_card_from_result(r) for r in results]


def _message(item: dict) -> str:
    return item["message_de"] if (get_language() or "en").startswith("de") else item["message_en"]


def _card_from_result(result) -> dict:
    from townsquare.content.service import change_dicts, problem_dicts

    adapted = result.adapted
    return _card(
        account=result.account,
        parts=list(adapted.parts),
        lengths=list(adapted.lengths),
        max_length=adapted.max_length,
        problems=problem_dicts(result.problems),
        changes=change_dicts(adapted.changes),
        warnings=change_dicts(adapted.warnings),
        link_card_url=adapted.link_card_url,
        edited_by_hand=adapted.edited_by_hand,
    )


def _card(**card) -> dict:
    card["problems"] = [{**p, "message": _message(p)} for p in card["problems"]]
    card["changes"] = [{**c, "message": _message(c)} for c in card["changes"]]
    card["warnings"] = [{**w, "message": _message(w)} for w in card["warnings"]]
    card["error_count"] = sum(1 for p in card["problems"] if p["severity"] == "error")
    card["parts_with_lengths"] = list(
        zip(card["parts"], card.get("lengths") or [None] * len(card["parts"]), strict=False)
    )
    return card


def _variant_card(variant: Variant) -> dict:
    from townsquare.content.profiles import length_function
    from townsquare.content.service import account_rules, workspace_overrides

    rules, _notes = account_rules(variant.account, workspace_overrides(variant.post.workspace))
    length = length_function(
        rules, variant.content_warning if rules.content_warning_supported.value else ""
    )
    parts = variant.parts or [variant.text]
    card = _card(
        account=variant.account,
        parts=parts,
        lengths=[length(p) for p in parts],
        max_length=rules.text_max.value,
        problems=variant.problems,
        changes=variant.changes,
        warnings=variant.warnings,
        link_card_url=variant.link_card_url,
        edited_by_hand=variant.edited_by_hand,
    )
    card["variant"] = variant
    card["edit_form"] = VariantEditForm(initial={"text": PART_SEPARATOR.join(parts)})
    return card


def _initial_from_template(membership: Membership, request: HttpRequest) -> dict:
    initial = {"language": membership.workspace.language}
    template_id = request.GET.get("template", "")
    if template_id.isdigit():
        template = PostTemplate.objects.filter(
            workspace=membership.workspace, pk=int(template_id)
        ).first()
        if template:
            initial.update(
                text=template.text, language=template.language, hashtags=" ".join(template.hashtags)
            )
    return initial


def _context(membership: Membership, form: ComposeForm, **extra) -> dict:
    workspace = membership.workspace
    return {
        "membership": membership,
        "workspace": workspace,
        "form": form,
        "templates": PostTemplate.objects.filter(workspace=workspace),
        "snippets": Snippet.objects.filter(workspace=workspace),
        "has_accounts": accounts_queryset(workspace).exists(),
        **extra,
    }


@workspace_view(Perm.WRITE_DRAFTS)
def compose_new(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = _form(membership, request.POST or None, _initial_from_template(membership, request))
    previews: list[dict] = []
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "save":
            try:
                post = actions.do_save_post(
                    membership, _post_input(form), [int(pk) for pk in form.cleaned_data["accounts"]]
                )
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Draft saved."))
                return redirect(
                    "content_post", workspace=membership.workspace.slug, post_id=post.pk
                )
        else:
            previews = _previews(membership, form)
    return render(request, "content/compose.html", _context(membership, form, previews=previews))


@workspace_view(Perm.WRITE_DRAFTS, methods=("POST",))
def compose_preview(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The live preview (htmx): the previews for what is in the form right now."""
    form = _form(membership, request.POST)
    previews = _previews(membership, form) if form.is_valid() else []
    return render(
        request,
        "content/_previews.html",
        {"previews": previews, "form": form, "workspace": membership.workspace, "live": True},
    )


@workspace_view(lookups={"post_id": access_post})
def post_detail(request: HttpRequest, membership: Membership, post_id: Post) -> HttpResponse:
    post = post_id
    initial = {
        "text": post.master_text,
        "language": post.language,
        "link_url": post.link_url,
        "hashtags": " ".join(post.hashtags),
        "hashtag_sets": post.hashtag_sets,
        "content_warning": post.content_warning,
        "accounts": [str(v.account_id) for v in post.variants.all()],
        "media": [str(a.asset_id) for a in post.attachments.all()],
    }
    form = _form(membership, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_post(
                membership,
                _post_input(form),
                [int(pk) for pk in form.cleaned_data["accounts"]],
                post=post,
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft saved. Variants you edited by hand were kept."))
            return redirect("content_post", workspace=membership.workspace.slug, post_id=post.pk)
    cards = [_variant_card(v) for v in post.variants.select_related("account", "post__workspace")]
    return render(
        request,
        "content/compose.html",
        _context(
            membership,
            form,
            post=post,
            previews=cards,
            stored=True,
            **publishing_panel(membership, post),
        ),
    )


@workspace_view(Perm.WRITE_DRAFTS, methods=("POST",), lookups={"variant_id": access_variant})
def variant_edit(request: HttpRequest, membership: Membership, variant_id: Variant) -> HttpResponse:
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
    try:
        actions.do_delete_post(membership, post_id)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("content_post", workspace=membership.workspace.slug, post_id=post_id.pk)
    messages.success(request, _("Draft deleted."))
    return redirect("content_posts", workspace=membership.workspace.slug)


@workspace_view(methods=("GET",))
def post_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    posts = access_posts(membership).prefetch_related("variants__account")
    return render(
        request,
        "content/posts.html",
        {"membership": membership, "workspace": membership.workspace, "posts": posts},
    )
