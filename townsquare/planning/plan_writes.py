"""What every audited write of the plan shares: the permission, the plan locked for the
change, a new version with a snapshot of the whole plan, and the audit event."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from townsquare.audit.record import record
from townsquare.lib.errors import ActionError
from townsquare.planning.access import workspace_plan
from townsquare.planning.models import Plan, PlanVersion
from townsquare.planning.snapshot import plan_snapshot
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership
from townsquare.workspaces.roles import Perm

EDIT_PLAN = Perm.EDIT_PLAN


def locked(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("campaign", "workspace")
        .get(pk=plan.pk)
    )


def new_version(membership: Membership, plan: Plan) -> PlanVersion:
    plan.version += 1
    plan.updated_by = membership.user
    plan.save()
    return PlanVersion.objects.create(
        plan=plan, number=plan.version, author=membership.user, snapshot=plan_snapshot(plan)
    )


def audit(
    membership: Membership,
    action: str,
    target: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record(
        actor=membership.user,
        action=action,
        target=target,
        workspace=membership.workspace,
        before=before,
        after=after,
    )


def own(membership: Membership, plan: Plan) -> Plan:
    """The plan, locked for the change, once the member may change it."""
    require(membership, EDIT_PLAN)
    if plan.workspace_id != membership.workspace.pk:
        raise ActionError(_("This plan belongs to another workspace."), "not_found", 404)
    return locked(plan)


def own_workspace_plan(membership: Membership) -> Plan:
    return own(membership, workspace_plan(membership.workspace))
