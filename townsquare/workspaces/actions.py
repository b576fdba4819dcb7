"""Writes to organisations, workspaces and memberships. Each one is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townsquare.audit.record import record, snapshot
from townsquare.lib.errors import ActionError
from townsquare.lib.slugs import unique_slug
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Invitation, Membership, Organisation, Workspace
from townsquare.workspaces.roles import Perm, Role, can_assign, can_change_member

WORKSPACE_FIELDS = ("name", "slug", "time_zone", "language", "description")
INVITATION_DAYS = 14


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


@transaction.atomic
def do_invite(membership: Membership, *, email: str, role: str) -> tuple[Invitation, str]:
    require(membership, Perm.INVITE_MEMBERS)
    email = email.strip().lower()
    if role not in Role.__members__.values():
        raise ActionError(_("Unknown role."), code="unknown_role")
    if not can_assign(membership.role, role):
        raise ActionError(_("You cannot give a role above your own."), code="forbidden", status=403)
    if Membership.objects.filter(workspace=membership.workspace, user__email=email).exists():
        raise ActionError(_("%(email)s is already a member.") % {"email": email}, code="exists")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        workspace=membership.workspace,
        email=email,
        role=role,
        token_hash=hash_token(token),
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
    link = settings.SITE_URL + reverse("invitation_accept", args=[token])
    transaction.on_commit(
        lambda: send_mail(
            _("You are invited to %(workspace)s on Townsquare")
            % {"workspace": membership.workspace.name},
            _(
                "%(who)s invites you to work on %(workspace)s as %(role)s.\n\n"
                "Accept within %(days)s days: %(link)s"
            )
            % {
                "who": membership.user.display_name,
                "workspace": membership.workspace.name,
                "role": role,
                "days": INVITATION_DAYS,
                "link": link,
            },
            None,
            [email],
        )
    )
    return invitation, token


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


@transaction.atomic
def do_accept_invitation(user: Any, token: str) -> Membership:
    invitation = find_open_invitation(token)
    if invitation is None:
        raise ActionError(
            _("This invitation is no longer valid. Ask for a new one."), code="invalid_invitation"
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
