from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townsquare.accounts.adapter import INVITATION_SESSION_KEY
from townsquare.api.actions import do_create_api_token, do_revoke_api_token
from townsquare.api.models import ApiToken
from townsquare.audit.record import record
from townsquare.lib.errors import ActionError
from townsquare.ui.forms import ProfileForm, TokenForm
from townsquare.workspaces.access import access_workspaces
from townsquare.workspaces.actions import do_accept_invitation, find_open_invitation, is_for


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={"name": user.name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        before = {"name": user.name, "language": user.language}
        user.name = form.cleaned_data["name"]
        user.language = form.cleaned_data["language"]
        user.save(update_fields=["name", "language"])
        record(
            actor=user,
            action="user.profile",
            target=user,
            before=before,
            after={"name": user.name, "language": user.language},
        )
        if user.language:
            translation.activate(user.language)
        messages.success(request, _("Profile saved."))
        return redirect("profile")
    return render(request, "ui/profile.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language: saved on the user when signed in, in a cookie in any case."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        max_age=365 * 24 * 3600,
    )
    return response


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    choices = [(w.slug, w.name) for w in access_workspaces(request.user).order_by("name")]
    form = TokenForm(request.POST or None, workspaces=choices)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = do_create_api_token(
                request.user,
                name=form.cleaned_data["name"],
                workspace_slugs=form.cleaned_data["workspaces"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            form = TokenForm(workspaces=choices)
    tokens = ApiToken.objects.filter(user=request.user).prefetch_related("workspaces")
    return render(
        request, "ui/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@login_required
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, user=request.user, pk=token_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if token.revoked_at is None:
        do_revoke_api_token(request.user, token.pk)
    messages.success(request, _("Token revoked."))
    return redirect("api_tokens")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_open_invitation(token)
    if invitation is None:
        return render(request, "ui/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        messages.info(
            request,
            _("Sign in or create an account to join %(workspace)s.")
            % {"workspace": invitation.workspace.name},
        )
        return redirect("account_signup" if invitation.email else "account_login")
    if request.method == "POST":
        try:
            membership = do_accept_invitation(request.user, token)
        except ActionError as error:
            messages.error(request, error.message)
            return redirect("home")
        messages.success(
            request, _("You joined %(workspace)s.") % {"workspace": membership.workspace.name}
        )
        return redirect("workspace_dashboard", workspace=membership.workspace.slug)
    return render(
        request,
        "ui/invitation_accept.html",
        {"invitation": invitation, "for_someone_else": not is_for(invitation, request.user)},
    )
