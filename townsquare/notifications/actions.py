"""Marking notifications as read.

Not audited: whether someone has read their own notification is their private reading
state, not a change to the workspace, and recording it would bury the audit log.
"""

from __future__ import annotations

from django.utils import timezone

from townsquare.notifications.access import access_notifications
from townsquare.notifications.models import Notification
from townsquare.workspaces.models import Membership


def do_mark_read(membership: Membership, notification: Notification) -> Notification:
    if notification.recipient_id != membership.user_id:  # defence in depth; access_* filters
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def do_mark_all_read(membership: Membership) -> int:
    return (
        access_notifications(membership).filter(read_at__isnull=True).update(read_at=timezone.now())
    )
