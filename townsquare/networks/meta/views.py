"""Settings > Accounts > Connect Facebook Page / Instagram, and the callback Facebook Login
sends people back to.

One page for both kinds of account: Facebook Pages the person manages (all of them, or the
one whose id is given), or the Instagram professional accounts linked to them. The Meta app
is the installation's (META_APP_ID / META_APP_SECRET): without it the page says what the
operator has to configure, with the redirect URL and the webhook address, instead of a
button that can only fail. The pages' common shape is networks/connecting.py.
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
from townsquare.networks.meta.actions import do_finish_meta_connect, do_start_meta_connect
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

CALLBACK_URL_NAME = "meta_oauth_callback"
KINDS = ("facebook_page", "instagram")


class ConnectMetaForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Connect"),
        choices=[
            ("facebook_page", gettext_lazy("Facebook Pages I manage")),
            ("instagram", gettext_lazy("Instagram professional accounts linked to them")),
        ],
        widget=forms.RadioSelect,
        initial="facebook_page",
    )
    page_id = forms.RegexField(
        label=gettext_lazy("Page ID (optional)"),
        regex=r"^[0-9]{1,30}$",
        required=False,
        help_text=gettext_lazy(
            "The number Facebook shows under the Page's About > Page transparency. Empty: "
            "every Page you manage (or every Instagram account linked to one) is connected."
        ),
        error_messages={"invalid": gettext_lazy("This is not the ID of a Facebook Page.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Audience language"),
        choices=[("", "–"), *settings.LANGUAGES],
        required=False,
    )


def app_configured() -> bool:
    """The installation names its Meta app; the code exchange always needs the secret."""
    return bool(getattr(settings, "META_APP_ID", "")) and bool(
        getattr(settings, "META_APP_SECRET", "")
    )


@workspace_view(perm=Perm.CONNECT_ACCOUNTS)
def connect_meta(request: HttpRequest, membership: Membership) -> HttpResponse:
    initial_kind = "instagram" if request.GET.get("kind") == "instagram" else "facebook_page"

    def start(data: Mapping[str, Any]) -> str:
        return do_start_meta_connect(
            membership,
            request.session,
            redirect_uri=callback_uri(request),
            network=data["kind"],
            page_id=data["page_id"],
            language=data["language"],
        )

    return connecting.connect_page(
        request,
        membership,
        form=ConnectMetaForm(request.POST or None, initial={"kind": initial_kind}),
        configured=app_configured(),
        start=start,
        folder=Path(__file__).parent,
        callback_url_name=CALLBACK_URL_NAME,
    )


@login_required
def meta_callback(request: HttpRequest) -> HttpResponse:
    return connecting.callback_page(
        request,
        lambda: do_finish_meta_connect(
            request.user, request.session, request.GET, redirect_uri=callback_uri(request)
        ),
    )


def callback_uri(request: HttpRequest) -> str:
    """The redirect URI as the Meta app must list it (Facebook Login compares it exactly)."""
    return connecting.callback_uri(request, CALLBACK_URL_NAME)
