"""Privacy writes (and the export, which is audited too): each needs Perm.TRIAGE_INBOX and
leaves an audit entry that names the contact by id only."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.inbox.models import Contact, InboxSettings
from townsquare.inbox.privacy import apply_retention, contact_export, delete_contact_data
from townsquare.lib.errors import ActionError
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

logger = logging.getLogger(__name__)


def _own(membership: Membership, contact: Contact) -> None:
    require(membership, Perm.TRIAGE_INBOX)
    if contact.workspace_id != membership.workspace_id:
        raise ActionError(_("This contact is not in this workspace."), code="not_found", status=404)


def do_export_contact(membership: Membership, contact: Contact) -> dict[str, Any]:
    _own(membership, contact)
    data = contact_export(contact)
    record(
        actor=membership.user,
        action="inbox.contact_export",
        target=contact,
        workspace=membership.workspace,
        after={"messages": len(data["messages"]), "items": len(data["register_items"])},
    )
    return data


def do_delete_contact(membership: Membership, contact: Contact) -> dict[str, int]:
    """Delete a person's data on their request (their messages and register items' words)."""
    _own(membership, contact)
    if contact.anonymised_at is not None and not contact.messages.exists():
        raise ActionError(_("This person's data was deleted already."), code="already_deleted")
    counts = delete_contact_data(contact)
    record(
        actor=membership.user,
        action="inbox.contact_delete",
        target=contact,
        workspace=membership.workspace,
        after=counts,
    )
    return counts


def run_retention() -> int:
    """Anonymise old messages in every workspace that keeps them for a limited time; one
    audit entry per workspace where something changed. Returns the messages anonymised."""
    now = timezone.now()
    total = 0
    for settings in InboxSettings.objects.filter(retention_days__isnull=False).select_related(
        "workspace"
    ):
        try:
            counts = apply_retention(settings, now)
        except Exception:
            logger.exception("inbox retention failed for workspace %s", settings.workspace_id)
            continue
        if counts["messages"]:
            record(
                actor=None,
                action="inbox.retention",
                target=settings,
                workspace=settings.workspace,
                after={**counts, "days": settings.retention_days},
            )
        total += counts["messages"]
    return total
