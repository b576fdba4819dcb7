"""Pages of approvals: Settings > Approvals, the review queue, the decisions and comments on
a post page, and the client's page behind a link (no account, no workspace around it)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings as django_settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache

from townsquare.approvals import (
    client_link_actions,
    comment_actions,
    review_actions,
    settings_actions,
)
from townsquare.approvals.access import access_settings, review_queue
from townsquare.approvals.forms import ApprovalSettingsForm, ClientDecisionForm, CommentForm
from townsquare.approvals.models import ClientLink
from townsquare.content.access import access_post
from townsquare.content.models import Post
from townsquare.lib.errors import ActionError
from townsquare.media.serving import stored_file_response
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view


@workspace_view(Perm.VIEW)
def approval_settings(request: HttpRequest, membership: Membership) -> HttpResponse:
    can_edit = has_perm(membership.role, Perm.EDIT_WORKSPACE) and has_perm(
        membership.role, Perm.APPROVE_POSTS
    )
    current = access_settings(membership)
    initial = {
        "mode": current.mode,
        "client_approval": current.client_approval,
        "link_days": current.link_days,
    }
    form = ApprovalSettingsForm(initial=initial)
    if request.method == "POST":
        if not can_edit:
            messages.error(request, _("Only owners and managers can change these settings."))
            return redirect("approvals_settings", workspace=membership.workspace.slug)
        form = ApprovalSettingsForm(request.POST)
        if form.is_valid():
            try:
                settings_actions.do_update_settings(membership, **form.cleaned_data)
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Approval settings saved."))
                return redirect("approvals_settings", workspace=membership.workspace.slug)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "approvals/settings.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "form": form,
            "can_edit": can_edit,
            "settings_tab": "approvals",
        },
    )


@workspace_view(Perm.VIEW, methods=("GET",))
def queue(request: HttpRequest, membership: Membership) -> HttpResponse:
    rules = access_settings(membership)
    return render(
        request,
        "approvals/queue.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "rules": rules,
            "queue": review_queue(membership),
            "can_approve": has_perm(membership.role, Perm.APPROVE_POSTS),
        },
    )


DECISIONS = ("approve", "changes", "hold", "release", "client_link", "revoke_link")


@workspace_view(Perm.VIEW, methods=("POST",), lookups={"post_id": access_post})
def decide(request: HttpRequest, membership: Membership, post_id: Post) -> HttpResponse:
    post = post_id
    back = redirect("content_post", workspace=membership.workspace.slug, post_id=post.pk)
    action = request.POST.get("action", "")
    if action not in DECISIONS:
        messages.error(request, _("Choose what to do with the post."))
        return back
    try:
        if action == "approve":
            outcome = review_actions.do_approve(membership, post)
        elif action == "changes":
            outcome = review_actions.do_request_changes(
                membership, post, request.POST.get("comment", "")
            )
        elif action == "hold":
            outcome = review_actions.do_hold(membership, post)
        elif action == "release":
            outcome = review_actions.do_release(membership, post)
        elif action == "client_link":
            _link, token = client_link_actions.do_create_client_link(membership, post)
            # The link is shown once, on the next page only; only its hash is kept.
            request.session[f"client_link_{post.pk}"] = client_link_actions.client_link_url(token)
            messages.success(request, _("A new link for the client is ready below."))
            return back
        else:
            revoked = client_link_actions.do_revoke_client_links(membership, post)
            done = _("The client's link no longer works.")
            messages.success(request, done if revoked else _("There was no open link."))
            return back
    except ActionError as error:
        messages.error(request, error.message)
        return back
    messages.success(request, outcome.message)
    return back


@workspace_view(Perm.WRITE_DRAFTS, methods=("POST",), lookups={"post_id": access_post})
def comment(request: HttpRequest, membership: Membership, post_id: Post) -> HttpResponse:
    post = post_id
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            comment_actions.do_add_comment(membership, post, form.cleaned_data["body"])
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Comment added."))
    return redirect(
        f"{_post_path(membership, post)}#comments",
    )


def _post_path(membership: Membership, post: Post) -> str:
    from django.urls import reverse

    return reverse(
        "content_post", kwargs={"workspace": membership.workspace.slug, "post_id": post.pk}
    )


# --- the client's page --------------------------------------------------------------------------

RATE_WINDOW_SECONDS = 600
RATE_LIMIT = 30
FORM_SALT = "townsquare.approvals.client-form"
FORM_MAX_AGE = 60 * 60 * 24


def _client_address(request: HttpRequest) -> str:
    proxies = int(getattr(django_settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _rate_limited(request: HttpRequest) -> bool:
    """At most RATE_LIMIT requests per address in a window, shared by every process."""
    window = int(time.time() // RATE_WINDOW_SECONDS)
    key = f"approvals-client:{_client_address(request)}:{window}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    return count > RATE_LIMIT


PROBLEM_TEXTS = {
    client_link_actions.LINK_UNKNOWN: gettext_noop(
        "This link is not valid. Please check that you copied all of it, or ask for a new one."
    ),
    client_link_actions.LINK_EXPIRED: gettext_noop(
        "This link has expired. Please ask the team for a new one."
    ),
    client_link_actions.LINK_REVOKED: gettext_noop(
        "This link was withdrawn by the team. Please ask for a new one."
    ),
    client_link_actions.LINK_USED: gettext_noop(
        "This link has already been used: your answer was recorded. Thank you."
    ),
    client_link_actions.LINK_OUTDATED: gettext_noop(
        "This post is no longer waiting for your approval (it changed or was decided in the "
        "meantime). The team will send you a new link if needed."
    ),
}


def _problem_text(problem: str) -> str:
    return _(PROBLEM_TEXTS.get(problem, PROBLEM_TEXTS[client_link_actions.LINK_UNKNOWN]))


def _client_page(
    request: HttpRequest, link: ClientLink, form: ClientDecisionForm, status: int = 200
) -> HttpResponse:
    post = link.review.post
    variants = list(
        post.variants.select_related("account").filter(account__removed_at=None).order_by("id")
    )
    media = [a.asset for a in post.attachments.select_related("asset")]
    response = render(
        request,
        "approvals/client.html",
        {
            "link": link,
            "post": post,
            "variants": variants,
            "media": media,
            "form": form,
            "form_token": signing.dumps(link.pk, salt=FORM_SALT),
            "token": request.resolver_match.kwargs["token"] if request.resolver_match else "",
            "brand": link.workspace.name,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _closed(request: HttpRequest, text: str, status: int) -> HttpResponse:
    response = render(request, "approvals/client_closed.html", {"text": text}, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def client_review(request: HttpRequest, token: str) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    if _rate_limited(request):
        return _closed(request, _("Too many attempts. Please wait a few minutes."), 429)
    link = client_link_actions.find_client_link(token)
    problem = client_link_actions.link_problem(link)
    if problem is not None or link is None:
        text = _problem_text(problem or client_link_actions.LINK_UNKNOWN)
        return _closed(request, text, 410 if link else 404)
    if request.method == "GET":
        return _client_page(request, link, ClientDecisionForm())
    form = ClientDecisionForm(request.POST)
    try:
        signed = signing.loads(
            request.POST.get("form_token", ""), salt=FORM_SALT, max_age=FORM_MAX_AGE
        )
    except signing.BadSignature:
        signed = None
    if signed != link.pk:
        form.add_error(None, _("The form is out of date. Please read the post again and answer."))
        return _client_page(request, link, form, status=400)
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "changes") or not form.is_valid():
        if decision not in ("approve", "changes"):
            form.add_error(None, _("Choose: approve, or ask for changes."))
        return _client_page(request, link, form, status=400)
    try:
        outcome = client_link_actions.do_client_decide(
            token, approve=decision == "approve", comment=form.cleaned_data["comment"]
        )
    except client_link_actions.LinkRefused as refused:
        return _closed(request, _problem_text(refused.problem), 410)
    except ActionError as error:
        form.add_error("comment", error.message)
        return _client_page(request, link, form, status=400)
    return _closed(request, outcome.message, 200)


@never_cache
def client_media(request: HttpRequest, token: str, asset_id: int) -> HttpResponse:
    """A thumbnail of a picture of the post the link is for, and nothing else."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    if _rate_limited(request):
        return HttpResponse(status=429)
    link = client_link_actions.find_client_link(token)
    if link is None or client_link_actions.link_problem(link) is not None:
        raise Http404
    attachment = link.review.post.attachments.select_related("asset").filter(asset_id=asset_id)
    found: Any = attachment.first()
    if found is None:
        raise Http404
    return stored_file_response(request, found.asset.thumbnail.name, "image/webp", "thumbnail.webp")
