"""Settings > Accounts > Connect LinkedIn, and the callback LinkedIn sends people back to.

One page for both kinds of account: a LinkedIn page (every page the member administers, or
the one whose number is given) or the member's own profile. The LinkedIn app is the
installation's (LINKEDIN_CLIENT_ID / LINKEDIN_CLIENT_SECRET): without it the page says what
the operator has to configure, with which redirect URL, instead of a button that can only
fail. The pages' common shape is networks/connecting.py.
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
from townsquare.networks.linkedin.actions import (
    do_finish_linkedin_connect,
    do_start_linkedin_connect,
)
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view

CALLBACK_URL_NAME = "linkedin_oauth_callback"
# The kinds offered, as the accounts page links them (`?kind=profile` reconnects a profile).
KINDS = {"page": "linkedin_page", "profile": "linkedin_profile"}


class ConnectLinkedInForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Connect"),
        choices=[
            ("page", gettext_lazy("a LinkedIn page I administer")),
            ("profile", gettext_lazy("my own LinkedIn profile")),
        ],
        widget=forms.RadioSelect,
        initial="page",
    )
    page_number = forms.RegexField(
        label=gettext_lazy("Page number (optional)"),
        regex=r"^[0-9]{1,20}$",
        required=False,
        help_text=gettext_lazy(
            "Only for a page: the number in the address of the page's admin view "
            "(linkedin.com/company/NUMBER/admin/). Empty: every page you administer is "
            "connected."
        ),
        error_messages={"invalid": gettext_lazy("This is not the number of a LinkedIn page.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Audience language"),
        choices=[("", "–"), *settings.LANGUAGES],
        required=False,
    )


def app_configured() -> bool:
    """The installation names its LinkedIn app: LinkedIn's web apps always need the secret."""
    return bool(getattr(settings, "LINKEDIN_CLIENT_ID", "")) and bool(
        getattr(settings, "LINKEDIN_CLIENT_SECRET", "")
    )


@workspace_view(perm=Perm.CONNECT_ACCOUNTS)
def connect_linkedin(request: HttpRequest, membership: Membership) -> HttpResponse:
    initial_kind = "profile" if request.GET.get("kind") == "profile" else "page"

    def start(data: Mapping[str, Any]) -> str:
        network = KINDS[data["kind"]]
        return do_start_linkedin_connect(
            membership,
            request.session,
            redirect_uri=callback_uri(request),
            network=network,
            organization_id=data["page_number"] if network == "linkedin_page" else "",
            language=data["language"],
        )

    return connecting.connect_page(
        request,
        membership,
        form=ConnectLinkedInForm(request.POST or None, initial={"kind": initial_kind}),
        configured=app_configured(),
        start=start,
        folder=Path(__file__).parent,
        callback_url_name=CALLBACK_URL_NAME,
    )


@login_required
def linkedin_callback(request: HttpRequest) -> HttpResponse:
    return connecting.callback_page(
        request,
        lambda: do_finish_linkedin_connect(
            request.user, request.session, request.GET, redirect_uri=callback_uri(request)
        ),
    )


def callback_uri(request: HttpRequest) -> str:
    """The redirect URL as the LinkedIn app must list it (LinkedIn compares it exactly)."""
    return connecting.callback_uri(request, CALLBACK_URL_NAME)
