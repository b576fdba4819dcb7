"""Writes to organisations, workspaces and memberships. Each one is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.lib.slugs import unique_slug
from townsquare.workspaces.access import require
from townsquare.workspaces.invitations import (
    INVITATION_DAYS,
    check_sending_rate,
    clean_invitation_address,
    send_invitation_email,
)
from townsquare.workspaces.models import Invitation, Membership, Organisation, Workspace
from townsquare.workspaces.roles import Perm, Role, can_assign, can_change_member

WORKSPACE_FIELDS = ("name", "slug", "time_zone", "language", "description")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_create_workspace(
    user: Any,
    *,
    name: str,
    organisation: Organisation | None = None,
    time_zone: str = "Europe/Berlin",
    language: str = "de",
    description: str = "",
) -> Workspace:
    name = name.strip()
    if not name:
        raise ActionError(_("A workspace needs a name."), code="name_required")
    if organisation is None:
        organisation = Organisation.objects.create(name=name, slug=unique_slug(Organisation, name))
    elif not Membership.objects.filter(
        workspace__organisation=organisation, user=user, role__in=[Role.OWNER, Role.MANAGER]
    ).exists():
        raise ActionError(
            _("Only owners and managers of this organisation can add workspaces to it."),
            code="forbidden",
            status=403,
        )
    workspace = Workspace(
        organisation=organisation,
        name=name,
        slug=unique_slug(Workspace, name),
        time_zone=time_zone,
        language=language,
        description=description,
    )
    workspace.full_clean()
    workspace.save()
    Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    record(
        actor=user,
        action="workspace.create",
        target=workspace,
        workspace=workspace,
        after=snapshot(workspace, WORKSPACE_FIELDS),
    )
    return workspace


@transaction.atomic
def do_update_workspace(membership: Membership, **changes: Any) -> Workspace:
    require(membership, Perm.EDIT_WORKSPACE)
    workspace = Workspace.objects.select_for_update().get(pk=membership.workspace_id)
    before = snapshot(workspace, WORKSPACE_FIELDS)
    for field, value in changes.items():
        if field not in ("name", "time_zone", "language", "description"):
            raise ActionError(_("%(field)s cannot be changed.") % {"field": field})
        setattr(workspace, field, value.strip() if isinstance(value, str) else value)
    workspace.full_clean()
    workspace.save()
    record(
        actor=membership.user,
        action="workspace.update",
        target=workspace,
        workspace=workspace,
        before=before,
        after=snapshot(workspace, WORKSPACE_FIELDS),
    )
    return workspace


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _send_after_commit(membership: Membership, invitation: Invitation, token: str) -> None:
    language = translation.get_language() or settings.LANGUAGE_CODE
    inviter = membership.user
    transaction.on_commit(lambda: send_invitation_email(invitation.pk, token, inviter, language))


def _lock_senders(membership: Membership) -> None:
    """One invitation at a time per workspace and per inviter, so that two requests at once
    cannot both slip under the limit."""
    Workspace.objects.select_for_update().filter(pk=membership.workspace_id).first()
    get_user_model().objects.select_for_update().filter(pk=membership.user_id).first()


@transaction.atomic
def do_invite(membership: Membership, *, email: str, role: str) -> tuple[Invitation, str]:
    require(membership, Perm.INVITE_MEMBERS)
    email = clean_invitation_address(email)
    if role not in Role.__members__.values():
        raise ActionError(_("Unknown role."), code="unknown_role")
    if not can_assign(membership.role, role):
        raise ActionError(_("You cannot give a role above your own."), code="forbidden", status=403)
    if Membership.objects.filter(
        workspace=membership.workspace, user__email__iexact=email
    ).exists():
        raise ActionError(_("%(email)s is already a member.") % {"email": email}, code="exists")
    _lock_senders(membership)
    check_sending_rate(membership)
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        workspace=membership.workspace,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=membership.user,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    record(
        actor=membership.user,
        action="member.invite",
        target=invitation,
        workspace=membership.workspace,
        after={"email": email, "role": role},
    )
    _send_after_commit(membership, invitation, token)
    return invitation, token


@transaction.atomic
def do_resend_invitation(membership: Membership, invitation: Invitation) -> Invitation:
    """Send an open invitation again, with a new link (only the hash of the old one is
    kept, so it cannot be sent twice) and a new expiry; the old link stops working."""
    require(membership, Perm.INVITE_MEMBERS)
    _lock_senders(membership)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.workspace_id != membership.workspace_id or not invitation.is_open:
        raise ActionError(
            _("This invitation is no longer open; send a new one."), code="invalid_invitation"
        )
    check_sending_rate(membership)
    token, invitation.token_hash = _new_token()
    invitation.expires_at = timezone.now() + timedelta(days=INVITATION_DAYS)
    invitation.email_sent_at = invitation.email_failed_at = None
    invitation.save(update_fields=["token_hash", "expires_at", "email_sent_at", "email_failed_at"])
    record(
        actor=membership.user,
        action="member.invite_resend",
        target=invitation,
        workspace=membership.workspace,
        after={"email": invitation.email, "role": invitation.role},
    )
    _send_after_commit(membership, invitation, token)
    return invitation


@transaction.atomic
def do_revoke_invitation(membership: Membership, invitation: Invitation) -> None:
    require(membership, Perm.INVITE_MEMBERS)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        actor=membership.user,
        action="member.invite_revoke",
        target=invitation,
        workspace=membership.workspace,
    )


def find_open_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("workspace").filter(token_hash=hash_token(token)).first()
    )
    return invitation if invitation and invitation.is_open else None


def is_for(invitation: Invitation, user: Any) -> bool:
    """The invitation was sent to this person's address (not case-sensitive)."""
    return bool(user.email) and user.email.casefold() == invitation.email.casefold()


@transaction.atomic
def do_accept_invitation(user: Any, token: str) -> Membership:
    """Join the workspace: only as the person the invitation was sent to, and only once.
    The invitation's row is locked, so two accepts at the same moment make one membership."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("workspace")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise ActionError(
            _("This invitation is no longer valid. Ask for a new one."), code="invalid_invitation"
        )
    if not is_for(invitation, user):
        raise ActionError(
            _(
                "This invitation was sent to another e-mail address. Sign in with the address "
                "it was sent to."
            ),
            code="wrong_account",
            status=403,
        )
    membership, created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        record(
            actor=user,
            action="member.join",
            target=membership,
            workspace=invitation.workspace,
            after={"role": membership.role, "email": user.email},
        )
    return membership


def _owners_left(workspace: Workspace, without: Membership) -> int:
    return (
        Membership.objects.filter(workspace=workspace, role=Role.OWNER)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def do_change_role(membership: Membership, member: Membership, role: str) -> Membership:
    require(membership, Perm.MANAGE_MEMBERS)
    if role not in Role.__members__.values():
        raise ActionError(_("Unknown role."), code="unknown_role")
    if not can_change_member(membership.role, member.role) or not can_assign(membership.role, role):
        raise ActionError(
            _("You cannot change a member at or to a role above your own."),
            code="forbidden",
            status=403,
        )
    if (
        member.role == Role.OWNER
        and role != Role.OWNER
        and not _owners_left(member.workspace, member)
    ):
        raise ActionError(_("A workspace needs at least one owner."), code="last_owner")
    before = {"role": member.role}
    member.role = role
    member.save(update_fields=["role"])
    record(
        actor=membership.user,
        action="member.role",
        target=member,
        workspace=membership.workspace,
        before=before,
        after={"role": role},
    )
    return member


@transaction.atomic
def do_remove_member(membership: Membership, member: Membership) -> None:
    if member.pk != membership.pk:
        require(membership, Perm.MANAGE_MEMBERS)
        if not can_change_member(membership.role, member.role):
            raise ActionError(
                _("You cannot remove a member above your own role."),
                code="forbidden",
                status=403,
            )
    if member.role == Role.OWNER and not _owners_left(member.workspace, member):
        raise ActionError(_("A workspace needs at least one owner."), code="last_owner")
    record(
        actor=membership.user,
        action="member.remove",
        target=member,
        workspace=membership.workspace,
        before={"email": member.user.email, "role": member.role},
    )
    member.delete()
