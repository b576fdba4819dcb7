"""Invitations: who may be invited (one plain address), how often, and the e-mail.

The address is refused at the edge unless it is one ASCII address without control
characters, spaces, commas or quotes: an address such as `victim@example.org,root` or one
with a line break would reach further recipients or headers of the mail. Sending is
throttled per workspace and per inviter, counted from the audit log (every invitation and
every resend is recorded there). The e-mail goes out after the invitation is committed; a
mail server's failure is kept on the invitation and shown on the members page with a way to
send it again, never as an error for something that was created.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.workspaces.models import ROLE_CHOICES, Invitation, Membership

logger = logging.getLogger(__name__)

INVITATION_DAYS = 14
MAX_ADDRESS_LENGTH = 254
# At most this many invitation e-mails (new or sent again) per hour from one workspace, and
# as many from one person across all their workspaces.
INVITATIONS_PER_HOUR = 20
THROTTLE_WINDOW = timedelta(hours=1)
SENDING_ACTIONS = ("member.invite", "member.invite_resend")

# Besides control characters and spaces: separators of address lists, quoted local parts,
# display names and address literals.
_FORBIDDEN = frozenset(',;"<>()[]\\:')
_validate = EmailValidator(allowlist=[])


def clean_invitation_address(raw: object) -> str:
    """One e-mail address, lower case; ActionError (422) for anything else."""
    refused = ActionError(
        _("Enter one e-mail address, such as name@example.org."),
        code="invalid_email",
        status=422,
    )
    if not isinstance(raw, str):
        raise refused
    address = raw.strip(" ")  # spaces around it are a slip; anything else is refused
    if (
        not address
        or len(address) > MAX_ADDRESS_LENGTH
        or not address.isascii()
        or any(not char.isprintable() or char.isspace() for char in address)
        or _FORBIDDEN.intersection(address)
        or address.count("@") != 1
    ):
        raise refused
    try:
        _validate(address)
    except ValidationError:
        raise refused from None
    return address.lower()


def check_sending_rate(membership: Membership) -> None:
    """ActionError (429) when the workspace or the inviter sent too many invitations within
    the last hour; the message says when the next one may go."""
    now = timezone.now()
    recent = AuditEvent.objects.filter(
        action__in=SENDING_ACTIONS, created_at__gt=now - THROTTLE_WINDOW
    )
    for sent in (
        recent.filter(workspace=membership.workspace),
        recent.filter(actor=membership.user),
    ):
        times = list(
            sent.order_by("-created_at").values_list("created_at", flat=True)[:INVITATIONS_PER_HOUR]
        )
        if len(times) >= INVITATIONS_PER_HOUR:
            free_at = times[-1] + THROTTLE_WINDOW
            minutes = max(1, math.ceil((free_at - now).total_seconds() / 60))
            raise ActionError(
                ngettext(
                    "Too many invitations within the last hour (at most %(limit)s). "
                    "Try again in %(minutes)s minute.",
                    "Too many invitations within the last hour (at most %(limit)s). "
                    "Try again in %(minutes)s minutes.",
                    minutes,
                )
                % {"limit": INVITATIONS_PER_HOUR, "minutes": minutes},
                code="too_many_invitations",
                status=429,
            )


def role_label(role: str) -> str:
    return str(dict(ROLE_CHOICES).get(role, role))


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("invitation_accept", args=[token])


def send_invitation_email(invitation_id: int, token: str, inviter: Any, language: str) -> bool:
    """Send the invitation (after commit). A failure is kept on the invitation, so the
    members page can offer to send it again; it never reaches the person who invited."""
    invitation = Invitation.objects.select_related("workspace").filter(pk=invitation_id).first()
    if invitation is None:
        return False
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = _("You are invited to %(workspace)s on Townsquare") % {
                "workspace": invitation.workspace.name
            }
            body = _(
                "%(who)s invites you to work on %(workspace)s as %(role)s.\n\n"
                "Accept within %(days)s days: %(link)s"
            ) % {
                "who": inviter.display_name,
                "workspace": invitation.workspace.name,
                "role": role_label(invitation.role),
                "days": INVITATION_DAYS,
                "link": invitation_link(token),
            }
        send_mail(subject, body, None, [invitation.email])
    except Exception as error:  # the mail server's trouble; shown on the members page
        logger.warning("invitation %s: the e-mail could not be sent: %s", invitation_id, error)
        Invitation.objects.filter(pk=invitation_id).update(email_failed_at=timezone.now())
        return False
    Invitation.objects.filter(pk=invitation_id).update(
        email_sent_at=timezone.now(), email_failed_at=None
    )
    return True
