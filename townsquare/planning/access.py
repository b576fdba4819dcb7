"""Tenant reads of the social media plan, its campaigns, pillars, audiences and goals."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from townsquare.lib.bounds import id_from_text
from townsquare.planning.models import (
    Audience,
    Campaign,
    Goal,
    NetworkPlan,
    Pillar,
    Plan,
    PlanVersion,
)
from townsquare.workspaces.models import Membership, Workspace


def workspace_plan(workspace: Workspace) -> Plan:
    """The workspace's own plan, made (empty, version 0) the first time it is asked for."""
    plan = Plan.objects.filter(workspace=workspace, campaign__isnull=True).first()
    if plan is None:
        plan, _created = Plan.objects.get_or_create(workspace=workspace, campaign=None)
    return plan


def campaign_plan(campaign: Campaign) -> Plan:
    plan = Plan.objects.filter(campaign=campaign).first()
    if plan is None:
        plan, _created = Plan.objects.get_or_create(
            workspace_id=campaign.workspace_id, campaign=campaign
        )
    return plan


def plan_for(workspace: Workspace, campaign: Campaign | None = None) -> Plan:
    return workspace_plan(workspace) if campaign is None else campaign_plan(campaign)


def effective_network_plan(
    workspace: Workspace, network: str, campaign: Campaign | None = None
) -> NetworkPlan | None:
    """A network's entry in the campaign's plan, or else in the workspace's plan (None when
    neither names the network). A campaign's plan holds only what differs."""
    if campaign is not None:
        if campaign.workspace_id != workspace.pk:
            raise ValueError("campaign of another workspace")
        found = NetworkPlan.objects.filter(plan__campaign=campaign, network=network).first()
        if found is not None:
            return found
    return NetworkPlan.objects.filter(
        plan__workspace=workspace, plan__campaign__isnull=True, network=network
    ).first()


def effective_network_plans(
    workspace: Workspace, campaign: Campaign | None = None
) -> dict[str, NetworkPlan]:
    """Every planned network's entry in force: the workspace's, replaced by the campaign's."""
    entries = {
        entry.network: entry
        for entry in NetworkPlan.objects.filter(
            plan__workspace=workspace, plan__campaign__isnull=True
        )
    }
    if campaign is not None:
        for entry in NetworkPlan.objects.filter(plan__campaign=campaign):
            entries[entry.network] = entry
    return entries


def access_plan(membership: Membership) -> Plan:
    return workspace_plan(membership.workspace)


def access_campaigns(membership: Membership) -> QuerySet[Campaign]:
    return Campaign.objects.filter(workspace=membership.workspace)


def access_campaign(membership: Membership, campaign_id: Any) -> Campaign:
    return _get(access_campaigns(membership), campaign_id)


def access_pillars(membership: Membership) -> QuerySet[Pillar]:
    return Pillar.objects.filter(workspace=membership.workspace)


def access_pillar(membership: Membership, pillar_id: Any) -> Pillar:
    return _get(access_pillars(membership), pillar_id)


def access_audiences(membership: Membership) -> QuerySet[Audience]:
    return Audience.objects.filter(workspace=membership.workspace)


def access_audience(membership: Membership, audience_id: Any) -> Audience:
    return _get(access_audiences(membership), audience_id)


def access_goals(membership: Membership) -> QuerySet[Goal]:
    return Goal.objects.filter(plan__workspace=membership.workspace).select_related("plan")


def access_goal(membership: Membership, goal_id: Any) -> Goal:
    return _get(access_goals(membership), goal_id)


def access_network_entry(membership: Membership, entry_id: Any) -> NetworkPlan:
    entries = NetworkPlan.objects.filter(plan__workspace=membership.workspace).select_related(
        "plan"
    )
    return _get(entries, entry_id)


def access_versions(membership: Membership, plan: Plan) -> QuerySet[PlanVersion]:
    if plan.workspace_id != membership.workspace.pk:
        raise Http404
    return PlanVersion.objects.filter(plan=plan).select_related("author")


def access_version(membership: Membership, version_id: Any) -> PlanVersion:
    versions = PlanVersion.objects.filter(plan__workspace=membership.workspace).select_related(
        "plan", "plan__campaign", "author"
    )
    return _get(versions, version_id)


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    number = id_from_text(str(pk))
    if number is None:
        raise Http404
    try:
        return queryset.get(pk=number)
    except queryset.model.DoesNotExist:
        raise Http404 from None
