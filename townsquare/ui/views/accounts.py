"""Settings > Accounts: the social accounts a workspace plans, writes and publishes for."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townsquare.lib.errors import ActionError
from townsquare.networks import actions
from townsquare.networks.access import access_account, access_accounts
from townsquare.networks.account_health import account_health, connect_url
from townsquare.networks.catalog import NETWORK_CHOICES
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm, has_perm
from townsquare.workspaces.views import workspace_view


class AccountForm(forms.Form):
    network = forms.ChoiceField(label=gettext_lazy("Network"), choices=NETWORK_CHOICES)
    handle = forms.CharField(
        label=gettext_lazy("Handle, page or channel"),
        max_length=255,
        help_text=gettext_lazy("For example @morgenrot.bsky.social or @morgenrot@mastodon.social"),
    )
    display_name = forms.CharField(
        label=gettext_lazy("Display name"), max_length=255, required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Audience language"),
        choices=[("", "–"), *settings.LANGUAGES],
        required=False,
    )


@workspace_view()
def accounts(request: HttpRequest, membership: Membership) -> HttpResponse:
    can_manage = has_perm(membership.role, Perm.CONNECT_ACCOUNTS)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = actions.do_add_account(membership, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(account)s added.") % {"account": account})
            return redirect("workspace_accounts", workspace=membership.workspace.slug)
    return render(
        request,
        "ui/accounts.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "accounts": [
                (account, account_health(account), connect_url(account))
                for account in access_accounts(membership).select_related("workspace")
            ],
            "form": form,
            "can_manage": can_manage,
            "settings_tab": "accounts",
        },
    )


@workspace_view(methods=("POST",), lookups={"account_id": access_account})
def account_remove(
    request: HttpRequest, membership: Membership, account_id: SocialAccount
) -> HttpResponse:
    try:
        actions.do_remove_account(membership, account_id)
        messages.success(request, _("Account removed."))
    except ActionError as error:
        messages.error(request, error.message)
    return redirect("workspace_accounts", workspace=membership.workspace.slug)
