"""Writes people make about polling: try again after polling stopped."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from townsquare.audit.record import record
from townsquare.inbox.models import InboxCursor
from townsquare.networks.access import access_account
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm


def do_retry_polling(membership: Membership, account_id: int) -> InboxCursor:
    """Poll the account's inbox again now, after failures stopped it (or to not wait)."""
    require(membership, Perm.TRIAGE_INBOX)
    account = access_account(membership, account_id)
    with transaction.atomic():
        cursor, _created = InboxCursor.objects.select_for_update().get_or_create(account=account)
        before = {"failures": cursor.failures, "paused": cursor.paused_at is not None}
        cursor.failures = 0
        cursor.paused_at = None
        cursor.next_poll_at = timezone.now()
        cursor.save(update_fields=["failures", "paused_at", "next_poll_at"])
        record(
            actor=membership.user,
            action="inbox.polling_retry",
            target=account,
            workspace=membership.workspace,
            before=before,
            after={"failures": 0, "paused": False},
        )
    return cursor
