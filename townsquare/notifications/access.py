"""Tenant reads of notifications: a person sees only their own, and only those of the
workspace they are looking at."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from townsquare.notifications.models import Notification, WebhookDelivery
from townsquare.workspaces.models import Membership


def access_notifications(membership: Membership) -> QuerySet[Notification]:
    return Notification.objects.filter(workspace=membership.workspace, recipient=membership.user)


def access_notification(membership: Membership, notification_id: Any) -> Notification:
    try:
        return access_notifications(membership).get(pk=int(notification_id))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unread_count(user: Any, workspace_slug: str) -> int:
    """For the bell in the top bar. Filtered by membership too, so a person removed from a
    workspace stops seeing its count even though their old notifications remain."""
    if not user or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user,
        workspace__slug=workspace_slug,
        workspace__memberships__user=user,
        read_at__isnull=True,
    ).count()


def last_webhook_delivery(membership: Membership) -> WebhookDelivery | None:
    return WebhookDelivery.objects.filter(workspace=membership.workspace).first()
