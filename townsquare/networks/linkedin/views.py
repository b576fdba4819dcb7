"""Settings > Accounts > Connect LinkedIn, and the callback LinkedIn sends people back to.

One page for both kinds of account: a LinkedIn page (every page the member administers, or
the one whose number is given) or the member's own profile. The LinkedIn app is the
installation's (LINKEDIN_CLIENT_ID / LINKEDIN_CLIENT_SECRET): without it the page says what
the operator has to configure, with which redirect URL, instead of a button that can only fail.
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
from django.utils.translation import gettext_lazy, ngettext

from townsquare.lib.errors import ActionError
from townsquare.networks.connecting import ConnectRefused
from townsquare.networks.linkedin.actions import (
    do_finish_linkedin_connect,
    do_start_linkedin_connect,
)
from townsquare.networks.pages import connector_template
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
    configured = app_configured()
    initial_kind = "profile" if request.GET.get("kind") == "profile" else "page"
    form = ConnectLinkedInForm(request.POST or None, initial={"kind": initial_kind})
    if request.method == "POST" and configured and form.is_valid():
        network = KINDS[form.cleaned_data["kind"]]
        try:
            target = do_start_linkedin_connect(
                membership,
                request.session,
                redirect_uri=callback_uri(request),
                network=network,
                organization_id=form.cleaned_data["page_number"]
                if network == "linkedin_page"
                else "",
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
def linkedin_callback(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        accounts = do_finish_linkedin_connect(
            request.user, request.session, request.GET, redirect_uri=callback_uri(request)
        )
    except ActionError as error:
        messages.error(request, error.message)
        workspace = error.workspace if isinstance(error, ConnectRefused) else ""
        if workspace:
            return redirect("workspace_accounts", workspace=workspace)
        return redirect("home")
    names = ", ".join(str(account) for account in accounts)
    messages.success(
        request,
        ngettext("%(accounts)s is connected.", "%(accounts)s are connected.", len(accounts))
        % {"accounts": names},
    )
    return redirect("workspace_accounts", workspace=accounts[0].workspace.slug)


def callback_uri(request: HttpRequest) -> str:
    """The redirect URL as the LinkedIn app must list it (LinkedIn compares it exactly)."""
    return request.build_absolute_uri(reverse(CALLBACK_URL_NAME))
