"""Adding and removing a workspace's social accounts (connection flows come per network)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.networks.catalog import NETWORK_NAMES
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

ACCOUNT_FIELDS = ("network", "handle", "display_name", "language")


@transaction.atomic
def do_add_account(
    membership: Membership,
    *,
    network: str,
    handle: str,
    display_name: str = "",
    language: str = "",
    reported_limits: dict[str, object] | None = None,
) -> SocialAccount:
    """Add an account to plan and write for. It publishes once it is connected."""
    require(membership, Perm.CONNECT_ACCOUNTS)
    handle = handle.strip()
    if network not in NETWORK_NAMES:
        raise ActionError(_("Unknown network."), code="unknown_network")
    if not handle:
        raise ActionError(_("An account needs a handle or name."), code="handle_required")
    account = SocialAccount(
        workspace=membership.workspace,
        network=network,
        handle=handle[:255],
        display_name=display_name.strip()[:255],
        language=language,
        reported_limits=reported_limits or {},
    )
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        raise ActionError(
            _("This account is already in the workspace."), code="exists", status=409
        ) from None
    record(
        actor=membership.user,
        action="account.add",
        target=account,
        workspace=membership.workspace,
        after=snapshot(account, ACCOUNT_FIELDS),
    )
    return account


@transaction.atomic
def do_remove_account(membership: Membership, account: SocialAccount) -> None:
    require(membership, Perm.CONNECT_ACCOUNTS)
    record(
        actor=membership.user,
        action="account.remove",
        target=account,
        workspace=membership.workspace,
        before=snapshot(account, ACCOUNT_FIELDS),
    )
    account.delete()
