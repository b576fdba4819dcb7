"""Settings > Accounts > Connect Mastodon, and the one callback the instances send people to."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.lib.errors import ActionError
from townsquare.networks.mastodon.actions import (
    ConnectRefused,
    do_finish_mastodon_connect,
    do_start_mastodon_connect,
)
from townsquare.networks.pages import connector_template
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

CALLBACK_URL_NAME = "mastodon_oauth_callback"


class ConnectMastodonForm(forms.Form):
    instance = forms.CharField(
        label=gettext_lazy("Mastodon server"),
        max_length=300,
        help_text=gettext_lazy("For example mastodon.social or https://social.example.org"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Audience language"),
        choices=[("", "–"), *settings.LANGUAGES],
        required=False,
    )


@workspace_view(perm=Perm.CONNECT_ACCOUNTS)
def connect_mastodon(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = ConnectMastodonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = do_start_mastodon_connect(
                membership,
                request.session,
                instance=form.cleaned_data["instance"],
                language=form.cleaned_data["language"],
                redirect_uri=callback_uri(request),
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            return redirect(target)
    context = {
        "membership": membership,
        "workspace": membership.workspace,
        "form": form,
        "settings_tab": "accounts",
    }
    return HttpResponse(
        connector_template(Path(__file__).parent, "connect.html").render(context, request),
        status=400 if form.errors else 200,
    )


@login_required
def mastodon_callback(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        account = do_finish_mastodon_connect(request.user, request.session, request.GET)
    except ConnectRefused as error:
        messages.error(request, error.message)
        if error.workspace:
            return redirect("workspace_accounts", workspace=error.workspace)
        return redirect("home")
    messages.success(request, _("%(account)s is connected.") % {"account": account})
    return redirect("workspace_accounts", workspace=account.workspace.slug)


def callback_uri(request: HttpRequest) -> str:
    """The one callback address of this installation, as instances must be told it."""
    return request.build_absolute_uri(reverse(CALLBACK_URL_NAME))
