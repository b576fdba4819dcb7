"""Tell the people of a workspace: in the app, by email, and to the workspace's webhook."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from townsquare.notifications.kinds import body_of, title_of
from townsquare.notifications.models import Notification
from townsquare.notifications.webhooks import enqueue_webhook
from townsquare.workspaces.models import Membership, Workspace

logger = logging.getLogger(__name__)

NOTIFIED_ROLES = ("owner", "manager")


def _email(
    workspace: Workspace,
    user: Any,
    kind: str,
    data: dict[str, Any],
    title: str,
    body: str,
    link: str,
) -> tuple[str, str, str]:
    """Subject and text of the email to one person, in their language (the workspace's when
    they chose none), because the worker that notices the failure speaks no one's."""
    with translation.override(user.language or workspace.language or settings.LANGUAGE_CODE):
        heading = title_of(kind, data, title)
        text = "\n\n".join(
            part
            for part in (
                heading,
                body_of(kind, data, body),
                _("Open it in Townsquare: %(link)s") % {"link": link},
                _(
                    "You receive this because you manage the workspace %(workspace)s or "
                    "wrote the post."
                )
                % {"workspace": workspace.name},
            )
            if part
        )
        return f"[{workspace.name}] {heading}", text, user.email


def _send(messages: list[tuple[str, str, str]]) -> None:
    for subject, text, address in messages:
        try:
            send_mail(subject, text, None, [address])
        except Exception as error:  # a mail server's trouble must never break publishing
            logger.warning("notification email to %s failed: %s", address, error)


def notify(
    workspace: Workspace,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    also: Iterable[Any] = (),
    to: Iterable[Any] | None = None,
    email: bool = True,
    webhook_url: str = "",
    payload: dict[str, Any] | None = None,
) -> list[Notification]:
    """Owners and managers are always told, and `also` (e.g. the post's author) if they
    are still members: someone who left the workspace must not hear about it any more.
    `to` names the people instead (a task assigned to someone), members only as well."""
    members = {
        m.user_id: m for m in Membership.objects.filter(workspace=workspace).select_related("user")
    }
    if to is not None:
        recipients = {members[u.pk].user for u in to if u is not None and u.pk in members}
    else:
        recipients = {m.user for m in members.values() if m.role in NOTIFIED_ROLES}
    recipients.update(
        members[user.pk].user for user in also if user is not None and user.pk in members
    )
    data = dict(payload or {})
    created = [
        Notification.objects.create(
            workspace=workspace,
            recipient=user,
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            data=data,
        )
        for user in sorted(recipients, key=lambda u: u.pk)
    ]
    if email and recipients:
        link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL
        mails = [
            _email(workspace, user, kind, data, title, body, link)
            for user in sorted(recipients, key=lambda u: u.email)
        ]
        transaction.on_commit(lambda: _send(mails))
    if webhook_url:
        event = {
            "event": kind,
            "workspace": workspace.slug,
            "title": title,
            "body": body,
            "url": f"{settings.SITE_URL}{url}" if url else "",
            **data,
        }
        transaction.on_commit(
            lambda: enqueue_webhook(webhook_url, event, workspace_id=workspace.pk)
        )
    return created
