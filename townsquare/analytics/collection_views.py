"""The "try again" button beside a stopped collection (templates/analytics/partials/
freshness.html): one POST, then back to the page the button was on."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from townsquare.analytics.collection_actions import do_retry_collection
from townsquare.lib.errors import ActionError
from townsquare.networks.access import access_account
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm
from townsquare.workspaces.views import workspace_view


@workspace_view(Perm.CONNECT_ACCOUNTS, methods=("POST",), lookups={"account_id": access_account})
def retry(request: HttpRequest, membership: Membership, account_id: SocialAccount) -> HttpResponse:
    account = account_id
    try:
        do_retry_collection(membership, account.pk)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Townsquare reads the figures of %(account)s again within a few minutes. "
                "Should it fail again, the reason appears here."
            )
            % {"account": account.label},
        )
    return redirect(_back_to(request, membership))


def _back_to(request: HttpRequest, membership: Membership) -> str:
    """The analytics page the button was on (its period and filters kept), else the
    overview; never an address outside this workspace's analytics."""
    overview = reverse("workspace_analytics", args=[membership.workspace.slug])
    wanted = request.POST.get("next", "")
    own = f"/w/{membership.workspace.slug}/analytics/"
    if (
        wanted.startswith(own)
        and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
        and "\\" not in wanted
    ):
        return wanted
    return overview
