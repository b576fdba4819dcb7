"""Tell the people of a workspace: in the app, by email, and to the workspace's webhook."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from townsquare.notifications.models import Notification
from townsquare.notifications.tasks import deliver_webhook
from townsquare.workspaces.models import Membership, Workspace

NOTIFIED_ROLES = ("owner", "manager")


def notify(
    workspace: Workspace,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    also: Iterable[Any] = (),
    email: bool = True,
    webhook_url: str = "",
    payload: dict[str, Any] | None = None,
) -> list[Notification]:
    recipients = {
        m.user
        for m in Membership.objects.filter(
            workspace=workspace, role__in=NOTIFIED_ROLES
        ).select_related("user")
    }
    recipients.update(user for user in also if user is not None)
    created = [
        Notification.objects.create(
            workspace=workspace, recipient=user, kind=kind, title=title[:200], body=body, url=url
        )
        for user in recipients
    ]
    if email and recipients:
        addresses = sorted(user.email for user in recipients)
        link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL
        transaction.on_commit(
            lambda: send_mail(
                f"[{workspace.name}] {title}",
                f"{body}\n\n{link}",
                None,
                addresses,
                fail_silently=True,
            )
        )
    if webhook_url:
        data = {
            "event": kind,
            "workspace": workspace.slug,
            "title": title,
            "body": body,
            **(payload or {}),
        }
        transaction.on_commit(lambda: deliver_webhook.enqueue(webhook_url, data))
    return created
