"""Settings > Accounts > Connect Threads, and the callback Threads sends people back to.

The Threads app is the installation's (THREADS_APP_ID / THREADS_APP_SECRET, the Threads
ones of a Meta app): without it the page says what the operator has to configure, with which
redirect callback URL, instead of a button that can only fail. The pages' common shape is
networks/connecting.py.
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
from townsquare.networks.threads.actions import (
    do_finish_threads_connect,
    do_start_threads_connect,
)
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

CALLBACK_URL_NAME = "threads_oauth_callback"


class ConnectThreadsForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Audience language"),
        choices=[("", "–"), *settings.LANGUAGES],
        required=False,
    )


def app_configured() -> bool:
    """The installation names its Threads app: the code is exchanged with the app secret."""
    return bool(getattr(settings, "THREADS_APP_ID", "")) and bool(
        getattr(settings, "THREADS_APP_SECRET", "")
    )


@workspace_view(perm=Perm.CONNECT_ACCOUNTS)
def connect_threads(request: HttpRequest, membership: Membership) -> HttpResponse:
    def start(data: Mapping[str, Any]) -> str:
        return do_start_threads_connect(
            membership,
            request.session,
            redirect_uri=callback_uri(request),
            language=data["language"],
        )

    return connecting.connect_page(
        request,
        membership,
        form=ConnectThreadsForm(request.POST or None),
        configured=app_configured(),
        start=start,
        folder=Path(__file__).parent,
        callback_url_name=CALLBACK_URL_NAME,
    )


@login_required
def threads_callback(request: HttpRequest) -> HttpResponse:
    return connecting.callback_page(
        request,
        lambda: do_finish_threads_connect(
            request.user, request.session, request.GET, redirect_uri=callback_uri(request)
        ),
    )


def callback_uri(request: HttpRequest) -> str:
    """The redirect callback URL as the Threads app must list it (Meta compares it exactly)."""
    return connecting.callback_uri(request, CALLBACK_URL_NAME)
