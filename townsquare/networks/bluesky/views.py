"""Settings > Accounts > Connect Bluesky: handle, app password and, for own servers, its URL."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.lib.errors import ActionError
from townsquare.networks.bluesky.actions import do_connect_bluesky
from townsquare.networks.pages import connector_template
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view


class ConnectBlueskyForm(forms.Form):
    handle = forms.CharField(
        label=gettext_lazy("Handle"),
        max_length=253,
        help_text=gettext_lazy("For example morgenrot.bsky.social"),
    )
    app_password = forms.CharField(
        label=gettext_lazy("App password"),
        max_length=100,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy(
            "Create one in Bluesky under Settings > Privacy and security > App passwords. "
            "It can be revoked there at any time."
        ),
    )
    service_url = forms.URLField(
        label=gettext_lazy("Server (optional)"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=gettext_lazy("Only for accounts on their own server; empty means bsky.social."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Audience language"),
        choices=[("", "–"), *settings.LANGUAGES],
        required=False,
    )


@workspace_view(perm=Perm.CONNECT_ACCOUNTS)
def connect_bluesky(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = ConnectBlueskyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = do_connect_bluesky(membership, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(account)s is connected.") % {"account": account})
            return redirect("workspace_accounts", workspace=membership.workspace.slug)
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
