"""The workspace's publishing settings: late posts, who is told about failures and how.

Every value is checked here, not only in the form, so the web UI, the API and the command
line refuse the same input with the same message.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.lib.http import plainly_private
from townsquare.notifications.webhooks import masked
from townsquare.publishing.models import PublishingSettings
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership, Workspace
from townsquare.workspaces.roles import Perm

FIELDS = ("hold_when_late", "late_after_minutes", "notify_by_email", "webhook_url")
MAX_LATE_MINUTES = 7 * 24 * 60
MAX_URL_LENGTH = 2000


def publishing_settings_of(workspace: Workspace) -> PublishingSettings:
    """The saved settings, or the defaults the engine applies when none were saved (not
    stored: reading a page must not write)."""
    found = PublishingSettings.objects.filter(workspace=workspace).first()
    return found or PublishingSettings(workspace=workspace)


def clean_webhook_url(raw: str) -> str:
    """An http(s) address with a host, or empty. Addresses that plainly point inside the
    server's own network are refused here already; names are resolved (and checked again)
    only when a webhook is sent, because a name may point elsewhere by then."""
    url = (raw or "").strip()
    if not url:
        return ""
    if len(url) > MAX_URL_LENGTH:
        raise ActionError(
            _("The webhook address is too long (at most %(max)s characters).")
            % {"max": MAX_URL_LENGTH},
            code="invalid_webhook_url",
            status=422,
        )
    try:
        parts = urlsplit(url)
        host, scheme = parts.hostname, parts.scheme
        _port = parts.port  # a port that is not a number raises ValueError
    except ValueError:
        host, scheme = None, ""
    if not host or scheme not in ("http", "https") or any(c.isspace() for c in url):
        raise ActionError(
            _("Enter a full web address starting with https:// (or http://)."),
            code="invalid_webhook_url",
            status=422,
        )
    if not settings.ALLOW_PRIVATE_NETWORK_TARGETS and plainly_private(host):
        raise ActionError(
            _("The webhook address points into the server's own network; use a public address."),
            code="private_webhook_url",
            status=422,
        )
    return url


@transaction.atomic
def do_update_publishing_settings(
    membership: Membership,
    *,
    hold_when_late: bool,
    late_after_minutes: int,
    notify_by_email: bool,
    webhook_url: str,
) -> PublishingSettings:
    require(membership, Perm.EDIT_WORKSPACE)
    if (
        isinstance(late_after_minutes, bool)
        or not isinstance(late_after_minutes, int)
        or not 1 <= late_after_minutes <= MAX_LATE_MINUTES
    ):
        raise ActionError(
            _("Minutes: a whole number from 1 to %(max)s.") % {"max": MAX_LATE_MINUTES},
            code="invalid_late_after_minutes",
            status=422,
        )
    values = {
        "hold_when_late": bool(hold_when_late),
        "late_after_minutes": late_after_minutes,
        "notify_by_email": bool(notify_by_email),
        "webhook_url": clean_webhook_url(webhook_url),
    }
    current, _created = PublishingSettings.objects.select_for_update().get_or_create(
        workspace=membership.workspace
    )
    before = snapshot(current, FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    # The webhook address is a secret: the audit log shows which one, not the whole of it.
    record(
        actor=membership.user,
        action="publishing_settings.update",
        target=current,
        workspace=membership.workspace,
        before={**before, "webhook_url": masked(before["webhook_url"])},
        after={**values, "webhook_url": masked(values["webhook_url"])},
    )
    return current
