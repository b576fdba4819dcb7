"""Settings > Accounts > Connect X, and the callback X sends people back to.

The X app is the installation's (X_CLIENT_ID / X_CLIENT_SECRET): without it the page says
what the operator has to configure, and with which callback address, instead of a button
that can only fail.
"""

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
from townsquare.networks.pages import connector_template
from townsquare.networks.x.actions import ConnectRefused, do_finish_x_connect, do_start_x_connect
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

CALLBACK_URL_NAME = "x_oauth_callback"


class ConnectXForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Audience language"),
        choices=[("", "–"), *settings.LANGUAGES],
        required=False,
    )


def app_configured() -> bool:
    """The installation names its X app (the secret is optional: X's public clients have
    none, and the token requests then name the client in the form, as X expects)."""
    return bool(getattr(settings, "X_CLIENT_ID", ""))


@workspace_view(perm=Perm.CONNECT_ACCOUNTS)
def connect_x(request: HttpRequest, membership: Membership) -> HttpResponse:
    configured = app_configured()
    form = ConnectXForm(request.POST or None)
    if request.method == "POST" and configured and form.is_valid():
        try:
            target = do_start_x_connect(
                membership,
                request.session,
                redirect_uri=callback_uri(request),
                language=form.cleaned_data["language"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            return redirect(target)
    context = {
        "membership": membership,
        "workspace": membership.workspace,
        "form": form,
        "configured": configured,
        "callback_uri": callback_uri(request),
        "settings_tab": "accounts",
    }
    refused = request.method == "POST" and (form.errors or not configured)
    return HttpResponse(
        connector_template(Path(__file__).parent, "connect.html").render(context, request),
        status=400 if refused else 200,
    )


@login_required
def x_callback(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        account = do_finish_x_connect(
            request.user, request.session, request.GET, redirect_uri=callback_uri(request)
        )
    except ActionError as error:
        messages.error(request, error.message)
        workspace = error.workspace if isinstance(error, ConnectRefused) else ""
        if workspace:
            return redirect("workspace_accounts", workspace=workspace)
        return redirect("home")
    messages.success(request, _("%(account)s is connected.") % {"account": account})
    return redirect("workspace_accounts", workspace=account.workspace.slug)


def callback_uri(request: HttpRequest) -> str:
    """The callback address as X must have it registered (X compares it exactly)."""
    return request.build_absolute_uri(reverse(CALLBACK_URL_NAME))
