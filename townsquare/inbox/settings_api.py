"""API of Inbox > Settings: the inbox settings, teams, departments and routing rules, and
forwarding a conversation to a department by hand.

Reading needs membership (VIEW); changing needs TRIAGE_INBOX. A department's webhook address
is returned masked, and its secret only once, in the answer that made it. Refusals carry
codes: invalid_name, duplicate_name, not_members, invalid_email, invalid_webhook,
condition, action, assign_both, assign_user, assign_team, assign_mode, labels, priority,
forward_department, sla, too_many_rules, invalid_order, invalid_business_hours, retention,
spike_factor, recipients.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, StrictBool, StrictFloat, StrictInt

from townsquare.inbox import routing_actions
from townsquare.inbox.access import (
    access_conversation,
    access_department,
    access_departments,
    access_rule,
    access_rules,
    access_team,
    access_teams,
)
from townsquare.inbox.models import Department, Rule, Team
from townsquare.inbox.routing import settings_of
from townsquare.inbox.routing_actions import RuleInput
from townsquare.lib.bounds import Id
from townsquare.lib.errors import ActionError
from townsquare.notifications.webhooks import masked

router = Router(tags=["inbox settings"])

BASE = "/workspaces/{workspace}/inbox"


class InboxSettingsIO(Schema):
    business_hours: dict[str, list[list[str]]] = Field(
        default_factory=dict,
        description='{"mon": [["09:00", "17:00"]], ...} in the workspace\'s zone; {}: 24/7',
    )
    retention_days: StrictInt | None = Field(None, ge=1, le=36500)
    replies_need_approval: StrictBool = False
    spike_factor: StrictFloat = Field(3.0, ge=1.5, le=100)
    digest_recipients: list[Id] = Field(default_factory=list, max_length=500)


class TeamIn(Schema):
    name: str = Field(max_length=100)
    members: list[Id] = Field(default_factory=list, max_length=500)


class TeamOut(TeamIn):
    id: int


class DepartmentIn(Schema):
    name: str = Field(max_length=100)
    email: str = Field("", max_length=254)
    webhook_url: str = Field("", max_length=500)
    new_secret: StrictBool = Field(False, description="Make a new webhook secret (shown once)")


class DepartmentOut(Schema):
    id: int
    name: str
    email: str
    webhook_url: str = Field(description="masked")
    has_webhook_secret: bool
    webhook_secret: str = Field("", description="Only in the answer that made it")


class RuleIn(Schema):
    name: str = Field(max_length=120)
    active: StrictBool = True
    stop_after: StrictBool = False
    conditions: dict[str, Any] = Field(default_factory=dict)
    actions: dict[str, Any] = Field(default_factory=dict)
    first_response_minutes: StrictInt | None = Field(None, ge=1, le=routing_actions.MAX_SLA_MINUTES)
    resolution_minutes: StrictInt | None = Field(None, ge=1, le=routing_actions.MAX_SLA_MINUTES)


class RuleOut(RuleIn):
    id: int
    position: int


class RuleOrderIn(Schema):
    rules: list[Id] = Field(max_length=routing_actions.MAX_RULES)


def _settings_out(request: HttpRequest) -> dict[str, Any]:
    found = settings_of(request.membership.workspace)  # type: ignore[attr-defined]
    return {
        "business_hours": found.business_hours,
        "retention_days": found.retention_days,
        "replies_need_approval": found.replies_need_approval,
        "spike_factor": found.spike_factor,
        "digest_recipients": sorted(found.digest_recipients.values_list("pk", flat=True)),
    }


@router.get(f"{BASE}/settings", response=InboxSettingsIO)
def get_inbox_settings(request: HttpRequest, workspace: str) -> dict[str, Any]:
    return _settings_out(request)


@router.put(f"{BASE}/settings", response=InboxSettingsIO)
def put_inbox_settings(
    request: HttpRequest, workspace: str, body: InboxSettingsIO
) -> dict[str, Any]:
    routing_actions.do_update_inbox_settings(
        request.membership,  # type: ignore[attr-defined]
        business_hours_raw=body.business_hours,
        retention_days=body.retention_days,
        replies_need_approval=body.replies_need_approval,
        spike_factor=body.spike_factor,
        digest_recipient_ids=body.digest_recipients,
    )
    return _settings_out(request)


# --- teams ----------------------------------------------------------------------------------


def _team_out(team: Team) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "members": sorted(user.pk for user in team.members.all()),
    }


@router.get(f"{BASE}/teams", response=list[TeamOut])
def list_inbox_teams(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    teams = access_teams(request.membership).prefetch_related("members")  # type: ignore[attr-defined]
    return [_team_out(team) for team in teams[:500]]


@router.post(f"{BASE}/teams", response={201: TeamOut})
def create_inbox_team(request: HttpRequest, workspace: str, body: TeamIn) -> Status:
    team = routing_actions.do_save_team(
        request.membership,  # type: ignore[attr-defined]
        None,
        name=body.name,
        member_ids=body.members,
    )
    return Status(201, _team_out(team))


@router.get(f"{BASE}/teams/{{team_id}}", response=TeamOut)
def get_inbox_team(request: HttpRequest, workspace: str, team_id: Id) -> dict[str, Any]:
    return _team_out(access_team(request.membership, team_id))  # type: ignore[attr-defined]


@router.put(f"{BASE}/teams/{{team_id}}", response=TeamOut)
def update_inbox_team(
    request: HttpRequest, workspace: str, team_id: Id, body: TeamIn
) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    team = routing_actions.do_save_team(
        membership, access_team(membership, team_id), name=body.name, member_ids=body.members
    )
    return _team_out(team)


@router.delete(f"{BASE}/teams/{{team_id}}", response={204: None})
def delete_inbox_team(request: HttpRequest, workspace: str, team_id: Id) -> Status:
    membership = request.membership  # type: ignore[attr-defined]
    routing_actions.do_delete_team(membership, access_team(membership, team_id))
    return Status(204, None)


# --- departments ----------------------------------------------------------------------------


def _department_out(department: Department, secret: str = "") -> dict[str, Any]:
    return {
        "id": department.pk,
        "name": department.name,
        "email": department.email,
        "webhook_url": masked(department.webhook_url),
        "has_webhook_secret": bool(department.webhook_secret_encrypted),
        "webhook_secret": secret,
    }


@router.get(f"{BASE}/departments", response=list[DepartmentOut])
def list_inbox_departments(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    found = access_departments(request.membership)  # type: ignore[attr-defined]
    return [_department_out(department) for department in found[:500]]


@router.post(f"{BASE}/departments", response={201: DepartmentOut})
def create_inbox_department(request: HttpRequest, workspace: str, body: DepartmentIn) -> Status:
    saved = routing_actions.do_save_department(
        request.membership,  # type: ignore[attr-defined]
        None,
        name=body.name,
        email=body.email,
        webhook_url=body.webhook_url,
    )
    return Status(201, _department_out(saved.department, saved.new_secret))


@router.get(f"{BASE}/departments/{{department_id}}", response=DepartmentOut)
def get_inbox_department(request: HttpRequest, workspace: str, department_id: Id) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    return _department_out(access_department(membership, department_id))


@router.put(f"{BASE}/departments/{{department_id}}", response=DepartmentOut)
def update_inbox_department(
    request: HttpRequest, workspace: str, department_id: Id, body: DepartmentIn
) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    department = access_department(membership, department_id)
    # A masked address sent back unchanged keeps the stored one.
    url = body.webhook_url
    if url and url == masked(department.webhook_url):
        url = department.webhook_url
    saved = routing_actions.do_save_department(
        membership,
        department,
        name=body.name,
        email=body.email,
        webhook_url=url,
        new_secret=body.new_secret,
    )
    return _department_out(saved.department, saved.new_secret)


@router.delete(f"{BASE}/departments/{{department_id}}", response={204: None})
def delete_inbox_department(request: HttpRequest, workspace: str, department_id: Id) -> Status:
    membership = request.membership  # type: ignore[attr-defined]
    routing_actions.do_delete_department(membership, access_department(membership, department_id))
    return Status(204, None)


# --- rules ----------------------------------------------------------------------------------


def _rule_out(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "position": rule.position,
        "name": rule.name,
        "active": rule.active,
        "stop_after": rule.stop_after,
        "conditions": rule.conditions,
        "actions": rule.actions,
        "first_response_minutes": rule.first_response_minutes,
        "resolution_minutes": rule.resolution_minutes,
    }


def _rule_input(body: RuleIn) -> RuleInput:
    return RuleInput(
        name=body.name,
        conditions=body.conditions,
        actions=body.actions,
        active=body.active,
        stop_after=body.stop_after,
        first_response_minutes=body.first_response_minutes,
        resolution_minutes=body.resolution_minutes,
    )


@router.get(f"{BASE}/rules", response=list[RuleOut])
def list_inbox_rules(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    rules = access_rules(request.membership).order_by("position", "id")  # type: ignore[attr-defined]
    return [_rule_out(rule) for rule in rules[: routing_actions.MAX_RULES]]


@router.post(f"{BASE}/rules", response={201: RuleOut})
def create_inbox_rule(request: HttpRequest, workspace: str, body: RuleIn) -> Status:
    membership = request.membership  # type: ignore[attr-defined]
    return Status(201, _rule_out(routing_actions.do_save_rule(membership, None, _rule_input(body))))


@router.put(f"{BASE}/rules/order", response=list[RuleOut])
def order_inbox_rules(
    request: HttpRequest, workspace: str, body: RuleOrderIn
) -> list[dict[str, Any]]:
    membership = request.membership  # type: ignore[attr-defined]
    return [_rule_out(rule) for rule in routing_actions.do_reorder_rules(membership, body.rules)]


@router.get(f"{BASE}/rules/{{rule_id}}", response=RuleOut)
def get_inbox_rule(request: HttpRequest, workspace: str, rule_id: Id) -> dict[str, Any]:
    return _rule_out(access_rule(request.membership, rule_id))  # type: ignore[attr-defined]


@router.put(f"{BASE}/rules/{{rule_id}}", response=RuleOut)
def update_inbox_rule(
    request: HttpRequest, workspace: str, rule_id: Id, body: RuleIn
) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    rule = access_rule(membership, rule_id)
    return _rule_out(routing_actions.do_save_rule(membership, rule, _rule_input(body)))


@router.delete(f"{BASE}/rules/{{rule_id}}", response={204: None})
def delete_inbox_rule(request: HttpRequest, workspace: str, rule_id: Id) -> Status:
    membership = request.membership  # type: ignore[attr-defined]
    routing_actions.do_delete_rule(membership, access_rule(membership, rule_id))
    return Status(204, None)


# --- forwarding by hand ---------------------------------------------------------------------


class ForwardIn(Schema):
    department: Id
    note: str = Field("", max_length=2000)


class ForwardOut(Schema):
    id: int
    department: str
    channel: str = Field(description="email or webhook")
    status: str = Field(description="pending, sent or failed")
    error: str


@router.post(f"{BASE}/conversations/{{conversation_id}}/forward", response={201: list[ForwardOut]})
def forward_inbox_conversation(
    request: HttpRequest, workspace: str, conversation_id: Id, body: ForwardIn
) -> Status:
    """Forward the conversation to a department (one forward per e-mail and webhook)."""
    membership = request.membership  # type: ignore[attr-defined]
    conversation = access_conversation(membership, conversation_id)
    department = access_departments(membership).filter(pk=body.department).first()
    if department is None:
        raise ActionError(
            _("Choose a department of this workspace."), code="forward_department", status=422
        )
    forwards = routing_actions.do_forward_conversation(
        membership, conversation, department, note=body.note
    )
    for forward in forwards:
        forward.refresh_from_db()
    return Status(
        201,
        [
            {
                "id": f.pk,
                "department": department.name,
                "channel": f.channel,
                "status": f.status,
                "error": f.error,
            }
            for f in forwards
        ],
    )
