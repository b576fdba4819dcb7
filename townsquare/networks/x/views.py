"""Settings > Accounts > Connect X, and the callback X sends people back to.

The X app is the installation's (X_CLIENT_ID / X_CLIENT_SECRET): without it the page says
what the operator has to configure, and with which callback address, instead of a button
that can only fail. The pages' common shape is networks/connecting.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

from townsquare.networks import connecting
from townsquare.networks.x.actions import do_finish_x_connect, do_start_x_connect
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
    def start(data: Mapping[str, Any]) -> str:
        return do_start_x_connect(
            membership,
            request.session,
            redirect_uri=callback_uri(request),
            language=data["language"],
        )

    return connecting.connect_page(
        request,
        membership,
        form=ConnectXForm(request.POST or None),
        configured=app_configured(),
        start=start,
        folder=Path(__file__).parent,
        callback_url_name=CALLBACK_URL_NAME,
    )


@login_required
def x_callback(request: HttpRequest) -> HttpResponse:
    return connecting.callback_page(
        request,
        lambda: do_finish_x_connect(
            request.user, request.session, request.GET, redirect_uri=callback_uri(request)
        ),
    )


def callback_uri(request: HttpRequest) -> str:
    """The callback address as X must have it registered (X compares it exactly)."""
    return connecting.callback_uri(request, CALLBACK_URL_NAME)
