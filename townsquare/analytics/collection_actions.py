"""A person's "try again" for an account whose collection stopped.

Collection stops on its own only for problems it cannot solve by waiting: a login the network
refused (it resumes once the account is connected again) and a refusal that repeated
collection.MAX_FAILURES times. Once someone has solved the problem on the network's side (a
permission granted again, an instance back to normal), they say so here instead of
connecting the account again.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.analytics.models import CollectionState
from townsquare.audit.record import record
from townsquare.lib.errors import ActionError
from townsquare.networks.access import access_account
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm


@transaction.atomic
def do_retry_collection(membership: Membership, account_id: int) -> CollectionState:
    """Make the account's collection due now, with a fresh count of failures. The problem
    stays on record until a reading succeeds (`failing_since` is kept, so a renewed
    failure says since when it has failed), but the dashboards stop saying it stopped.
    Raises Http404 for an account of another workspace, ActionError when only connecting
    the account again can help."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    account = access_account(membership, account_id)
    if account.removed_at is not None:
        raise ActionError(
            _("This account was removed from the workspace; its figures are no longer read."),
            code="account_removed",
            status=409,
        )
    if account.needs_reconnect or not account.credentials_encrypted:
        raise ActionError(
            _(
                "The network no longer accepts Townsquare's login for this account. Connect "
                "the account again; its figures are read again right after."
            ),
            code="needs_reconnect",
            status=409,
        )
    now = timezone.now()
    state, created = CollectionState.objects.select_for_update().get_or_create(account=account)
    before = {
        "collection_stopped": not created and state.next_due_at is None,
        "failed_attempts": state.consecutive_failures,
    }
    state.next_due_at = now
    state.consecutive_failures = 0
    state.last_error_code = ""
    state.last_error = ""
    state.save(
        update_fields=["next_due_at", "consecutive_failures", "last_error_code", "last_error"]
    )
    record(
        actor=membership.user,
        action="analytics.collection_retry",
        target=account,
        workspace=membership.workspace,
        before=before,
        after={"collection_stopped": False, "failed_attempts": 0},
    )
    return state
