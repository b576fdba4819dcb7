"""Tenant reads. Every view, API route and command reads workspace data through here.

A workspace that the user is not a member of does not exist for them: 404, never 403, so
that nobody can even learn which workspaces exist. A member who lacks a permission gets
PermissionDenied (403): they know the workspace already.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from townsquare.audit.models import AuditEvent
from townsquare.workspaces.models import Invitation, Membership, Workspace
from townsquare.workspaces.roles import Perm, has_perm


def access_workspaces(user: Any) -> QuerySet[Workspace]:
    if not user or not user.is_authenticated:
        return Workspace.objects.none()
    return Workspace.objects.filter(memberships__user=user).select_related("organisation")


def access_membership_of(user: Any, workspace_slug: str) -> Membership:
    """The acting user's membership in the workspace, or 404."""
    if not user or not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.select_related("workspace", "workspace__organisation").get(
            workspace__slug=workspace_slug, user=user
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def access_workspace(user: Any, workspace_slug: str, perm: Perm = Perm.VIEW) -> Membership:
    """Membership of the acting user, checked for perm (403 if a member lacks it)."""
    membership = access_membership_of(user, workspace_slug)
    require(membership, perm)
    return membership


def require(membership: Membership, perm: Perm) -> None:
    if not has_perm(membership.role, perm):
        raise PermissionDenied(perm.value)


def access_members(membership: Membership) -> QuerySet[Membership]:
    return Membership.objects.filter(workspace=membership.workspace).select_related("user")


def access_member(membership: Membership, member_id: int) -> Membership:
    try:
        return access_members(membership).get(pk=member_id)
    except Membership.DoesNotExist:
        raise Http404 from None


def access_invitations(membership: Membership) -> QuerySet[Invitation]:
    return Invitation.objects.filter(workspace=membership.workspace)


def access_invitation(membership: Membership, invitation_id: int) -> Invitation:
    try:
        return access_invitations(membership).get(pk=invitation_id)
    except Invitation.DoesNotExist:
        raise Http404 from None


def access_audit_events(membership: Membership) -> QuerySet[AuditEvent]:
    require(membership, Perm.VIEW_AUDIT)
    return AuditEvent.objects.filter(workspace=membership.workspace)
