"""Settings > Accounts: the social accounts a workspace plans, writes and publishes for."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from townsquare.lib.errors import ActionError
from townsquare.networks import actions
from townsquare.networks.access import access_account, access_accounts
from townsquare.networks.account_health import (
    account_health,
    accounts_without_public_media,
    connect_url,
)
from townsquare.networks.catalog import NETWORK_CHOICES
from townsquare.networks.demo_transport import demo_account_ids
from townsquare.networks.models import SocialAccount
from townsquare.publishing.account_removal import removal_effects
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
    listed = list(access_accounts(membership).select_related("workspace"))
    # SITE_URL not public: said before a post with pictures to Instagram & co. is refused.
    media_problem, media_problem_ids = accounts_without_public_media(listed)
    return render(
        request,
        "ui/accounts.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "accounts": [
                (account, account_health(account), connect_url(account)) for account in listed
            ],
            "media_problem": media_problem,
            "media_problem_ids": media_problem_ids,
            "demo_ids": demo_account_ids(listed),
            "form": form,
            "can_manage": can_manage,
            "settings_tab": "accounts",
        },
    )


@workspace_view(Perm.CONNECT_ACCOUNTS, lookups={"account_id": access_account})
def account_remove(
    request: HttpRequest, membership: Membership, account_id: SocialAccount
) -> HttpResponse:
    """A confirmation page first: what happens to the account's posts, then the removal."""
    account = account_id
    if request.method == "POST" and request.POST.get("confirm") == "remove":
        try:
            cancelled = actions.do_remove_account(membership, account)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            removed = _("%(account)s removed.") % {"account": account}
            messages.success(
                request,
                removed
                if not cancelled
                else ngettext(
                    "%(account)s removed. %(count)s post to it was cancelled; it stays in "
                    "the post list, with the reason “account removed” on its page.",
                    "%(account)s removed. %(count)s posts to it were cancelled; they stay in "
                    "the post list, with the reason “account removed” on their pages.",
                    cancelled,
                )
                % {"account": account, "count": cancelled},
            )
            return redirect("workspace_accounts", workspace=membership.workspace.slug)
    return render(
        request,
        "ui/account_remove.html",
        {
            "membership": membership,
            "workspace": membership.workspace,
            "account": account,
            "effects": removal_effects(account),
            "settings_tab": "accounts",
        },
    )
