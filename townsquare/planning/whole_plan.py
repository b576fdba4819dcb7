"""A whole plan at once: the API's PUT, `townsquare plan import` and `plan export`.

Everything given is checked before anything is written (cleaners.py); one refused value
refuses the whole plan or file, and the plan gets one new version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townsquare.lib.errors import ActionError
from townsquare.planning.access import campaign_plan, workspace_plan
from townsquare.planning.cleaners import as_list, clean_plan
from townsquare.planning.models import (
    Audience,
    Campaign,
    Goal,
    NetworkPlan,
    Pillar,
    Plan,
    PlanVersion,
)
from townsquare.planning.plan_writes import EDIT_PLAN, audit, locked, new_version, own
from townsquare.planning.snapshot import plan_snapshot
from townsquare.workspaces.access import require
from townsquare.workspaces.models import Membership

PLAN_FIELDS = ("summary", "time_zone", "starts_on")


def _replace_by_name(model: Any, membership: Membership, items: list[dict[str, Any]]) -> None:
    existing = {
        obj.name.casefold(): obj for obj in model.objects.filter(workspace=membership.workspace)
    }
    wanted = {item["name"].casefold() for item in items}
    for key, obj in existing.items():
        if key not in wanted:
            obj.delete()
    for item in items:
        obj = existing.get(item["name"].casefold()) or model(workspace=membership.workspace)
        for name, value in item.items():
            setattr(obj, name, value)
        obj.save()


def apply_plan(membership: Membership, plan: Plan, cleaned: dict[str, Any]) -> PlanVersion:
    """Write sections already cleaned by clean_plan; the caller holds the transaction."""
    for name in PLAN_FIELDS:
        if name in cleaned:
            setattr(plan, name, cleaned[name])
    for name, value in cleaned.get("tone", {}).items():
        setattr(plan, name, value)
    if "networks" in cleaned:
        keep = []
        for values in cleaned["networks"]:
            entry = plan.networks.filter(network=values["network"]).first() or NetworkPlan(
                plan=plan
            )
            for name, value in values.items():
                setattr(entry, name, value)
            entry.save()
            keep.append(entry.pk)
        plan.networks.exclude(pk__in=keep).delete()
    if "goals" in cleaned:
        plan.goals.all().delete()
        for values in cleaned["goals"]:
            Goal.objects.create(plan=plan, **values)
    if plan.campaign_id is None:
        for section, model in (
            ("pillars", Pillar),
            ("audiences", Audience),
            ("campaigns", Campaign),
        ):
            if section in cleaned:
                _replace_by_name(model, membership, cleaned[section])
    return new_version(membership, plan)


@transaction.atomic
def do_replace_plan(membership: Membership, plan: Plan, data: Any) -> Plan:
    """The API's PUT: every section given replaces the plan's; the rest stays."""
    plan = own(membership, plan)
    cleaned = clean_plan(data, campaign=plan.campaign_id is not None)
    before = plan_snapshot(plan)
    version = apply_plan(membership, plan, cleaned)
    audit(membership, "plan.replace", plan, {"version": before}, {"version": version.number})
    return plan


@transaction.atomic
def do_import_plan(membership: Membership, data: Any) -> list[PlanVersion]:
    """A file made by `plan export`: the workspace's plan with its pillars, audiences and
    campaigns, and each campaign's plan. All of it is checked before anything is written;
    one refused value refuses the whole file."""
    require(membership, EDIT_PLAN)
    if not isinstance(data, Mapping) or not isinstance(data.get("plan"), Mapping):
        raise ActionError(
            _("The file holds no plan: expected an object with “plan” (as `plan export` writes)."),
            code="invalid_plan",
        )
    main = clean_plan(data["plan"], campaign=False)
    campaign_names = {c["name"].casefold() for c in main.get("campaigns", [])}
    if "campaigns" not in main:
        campaign_names = {
            name.casefold()
            for name in Campaign.objects.filter(workspace=membership.workspace).valuesas_list(
                "name", flat=True
            )
        }
    campaign_plans = []
    for index, item in enumerate(as_list(data.get("campaign_plans") or [], "campaign_plans")):
        if not isinstance(item, Mapping) or not isinstance(item.get("campaign"), str):
            raise ActionError(
                _("campaign_plans, entry %(number)s: name its campaign.") % {"number": index + 1},
                code="invalid_plan",
            )
        if item["campaign"].casefold() not in campaign_names:
            raise ActionError(
                _("campaign_plans, entry %(number)s: there is no campaign “%(name)s”.")
                % {"number": index + 1, "name": item["campaign"][:120]},
                code="unknown_campaign",
            )
        campaign_plans.append((item["campaign"], clean_plan(item.get("plan") or {}, True)))
    plan = own(membership, workspace_plan(membership.workspace))
    versions = [apply_plan(membership, plan, main)]
    for name, cleaned in campaign_plans:
        campaign = Campaign.objects.get(workspace=membership.workspace, name__iexact=name)
        versions.append(apply_plan(membership, locked(campaign_plan(campaign)), cleaned))
    audit(membership, "plan.import", plan, None, {"versions": [v.number for v in versions]})
    return versions


def export_plan(plan: Plan) -> dict[str, Any]:
    """What `plan import` reads back: the workspace's plan and each campaign's plan."""
    campaign_plans = []
    for other in Plan.objects.filter(
        workspace=plan.workspace, campaign__isnull=False
    ).select_related("campaign"):
        snapshot = plan_snapshot(other)
        campaign_plans.append(
            {
                "campaign": other.campaign.name if other.campaign else "",
                "plan": {
                    k: snapshot[k]
                    for k in ("summary", "time_zone", "starts_on", "tone", "networks", "goals")
                    if k in snapshot
                },
            }
        )
    return {
        "format": "townsquare-plan",
        "version": 1,
        "plan": plan_snapshot(plan),
        "campaign_plans": campaign_plans,
    }
