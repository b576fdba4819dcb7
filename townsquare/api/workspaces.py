from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from townsquare.api.errors import ApiError
from townsquare.lib.bounds import Id, Limit1000
from townsquare.lib.errors import ActionError
from townsquare.workspaces import actions
from townsquare.workspaces.access import (
    access_audit_events,
    access_invitation,
    access_member,
    access_members,
    access_workspaces,
)
from townsquare.workspaces.invitations import clean_invitation_address
from townsquare.workspaces.models import Membership, Organisation
from townsquare.workspaces.roles import Role

router = Router(tags=["workspaces"])


class WorkspaceOut(Schema):
    slug: str
    name: str
    organisation: str
    time_zone: str
    language: str
    description: str
    role: str | None = None


class WorkspaceIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    time_zone: str = "Europe/Berlin"
    language: str = Field("de", pattern="^(de|en)$")
    description: str = Field("", max_length=5000)
    organisation: str | None = Field(None, description="Slug of an organisation you manage")


class WorkspacePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    time_zone: str | None = None
    language: str | None = Field(None, pattern="^(de|en)$")
    description: str | None = Field(None, max_length=5000)


class MemberOut(Schema):
    id: int
    email: str
    name: str
    role: str


class RoleIn(Schema):
    role: Role


class InvitationIn(Schema):
    email: str = Field(max_length=254, description="One e-mail address, ASCII only")
    role: Role

    @field_validator("email")
    @classmethod
    def one_plain_address(cls, value: str) -> str:
        # Refused here, before anything is saved: lists, control characters, non-ASCII.
        try:
            return clean_invitation_address(value)
        except ActionError as error:
            raise ValueError(error.message) from None


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    email_status: Literal["pending", "sent", "failed"] = Field(
        description="Whether the invitation e-mail went out; failed: send it again"
    )


class AuditOut(Schema):
    created_at: datetime
    actor: str
    action: str
    target_type: str
    target: str
    before: Any = None
    after: Any = None


def _workspace_out(membership: Membership) -> WorkspaceOut:
    w = membership.workspace
    return WorkspaceOut(
        slug=w.slug,
        name=w.name,
        organisation=w.organisation.name,
        time_zone=w.time_zone,
        language=w.language,
        description=w.description,
        role=membership.role,
    )


def _member_out(m: Membership) -> MemberOut:
    return MemberOut(id=m.pk, email=m.user.email, name=m.user.name, role=m.role)


@router.get("/workspaces", response=list[WorkspaceOut])
def list_workspaces(request: HttpRequest) -> list[WorkspaceOut]:
    token = getattr(request, "api_token", None)
    workspaces = access_workspaces(request.auth)
    if token is not None:
        workspaces = workspaces.filter(pk__in=token.workspaces.values("pk"))
    memberships = Membership.objects.filter(user=request.auth, workspace__in=workspaces)
    return [_workspace_out(m) for m in memberships.select_related("workspace__organisation")]


@router.post("/workspaces", response={201: WorkspaceOut})
def create_workspace(request: HttpRequest, body: WorkspaceIn) -> Status:
    organisation = None
    if body.organisation:
        organisation = (
            Organisation.objects.filter(
                slug=body.organisation, workspaces__memberships__user=request.auth
            )
            .distinct()
            .first()
        )
        if organisation is None:
            raise ActionError(
                "Choose the organisation of one of your workspaces (by its slug).",
                code="unknown_organisation",
                status=422,
            )
    workspace = actions.do_create_workspace(
        request.auth,
        name=body.name,
        organisation=organisation,
        time_zone=body.time_zone,
        language=body.language,
        description=body.description,
    )
    membership = Membership.objects.select_related("workspace__organisation").get(
        workspace=workspace, user=request.auth
    )
    return Status(201, _workspace_out(membership))


@router.get("/workspaces/{workspace}", response=WorkspaceOut)
def get_workspace(request: HttpRequest, workspace: str) -> WorkspaceOut:
    return _workspace_out(request.membership)


@router.patch("/workspaces/{workspace}", response=WorkspaceOut)
def update_workspace(request: HttpRequest, workspace: str, body: WorkspacePatch) -> WorkspaceOut:
    changes = body.model_dump(exclude_none=True)
    membership = request.membership
    membership.workspace = actions.do_update_workspace(membership, **changes)
    return _workspace_out(membership)


@router.get("/workspaces/{workspace}/members", response=list[MemberOut])
def list_members(request: HttpRequest, workspace: str) -> list[MemberOut]:
    return [_member_out(m) for m in access_members(request.membership)]


@router.patch("/workspaces/{workspace}/members/{member_id}", response=MemberOut)
def change_role(request: HttpRequest, workspace: str, member_id: Id, body: RoleIn) -> MemberOut:
    member = access_member(request.membership, member_id)
    return _member_out(actions.do_change_role(request.membership, member, body.role))


@router.delete("/workspaces/{workspace}/members/{member_id}", response={204: None})
def remove_member(request: HttpRequest, workspace: str, member_id: Id) -> Status:
    member = access_member(request.membership, member_id)
    actions.do_remove_member(request.membership, member)
    return Status(204, None)


@router.post(
    "/workspaces/{workspace}/invitations",
    response={201: InvitationOut, 429: ApiError},
)
def invite(request: HttpRequest, workspace: str, body: InvitationIn) -> Status:
    """Invite one e-mail address. At most 20 invitations an hour per workspace and per
    inviter (429, `too_many_invitations`); `email_status` says whether the e-mail went out."""
    invitation, _token = actions.do_invite(request.membership, email=body.email, role=body.role)
    # The e-mail went out when the invitation was committed: its outcome is on the row now.
    invitation.refresh_from_db()
    return Status(201, invitation)


@router.delete("/workspaces/{workspace}/invitations/{invitation_id}", response={204: None})
def revoke_invitation(request: HttpRequest, workspace: str, invitation_id: Id) -> Status:
    invitation = access_invitation(request.membership, invitation_id)
    actions.do_revoke_invitation(request.membership, invitation)
    return Status(204, None)


@router.get("/workspaces/{workspace}/audit", response=list[AuditOut])
def audit_log(request: HttpRequest, workspace: str, limit: Limit1000 = 100) -> list[AuditOut]:
    """The newest changes first; at most 1,000."""
    events = access_audit_events(request.membership)[:limit]
    return [
        AuditOut(
            created_at=e.created_at,
            actor=e.actor_label,
            action=e.action,
            target_type=e.target_type,
            target=e.target_label,
            before=e.before,
            after=e.after,
        )
        for e in events
    ]
