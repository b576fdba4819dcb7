"""Objects of the foreign workspace for the tenancy probe, one per URL argument of the plan."""

import datetime

from townsquare.planning.models import (
    Audience,
    Campaign,
    Goal,
    NetworkPlan,
    Pillar,
    Plan,
    PlanVersion,
)
from townsquare.testing.tenancy import probe_kwarg


def _plan(world):
    plan, _created = Plan.objects.get_or_create(workspace=world.foreign, campaign=None)
    return plan


@probe_kwarg("campaign_id")
def foreign_campaign(world):
    campaign, _created = Campaign.objects.get_or_create(
        workspace=world.foreign,
        name="Nur für B",
        defaults={
            "starts_on": datetime.date(2027, 3, 1),
            "ends_on": datetime.date(2027, 3, 31),
        },
    )
    return campaign.pk


@probe_kwarg("pillar_id")
def foreign_pillar(world):
    pillar, _created = Pillar.objects.get_or_create(workspace=world.foreign, name="Nur für B")
    return pillar.pk


@probe_kwarg("audience_id")
def foreign_audience(world):
    audience, _created = Audience.objects.get_or_create(workspace=world.foreign, name="Nur für B")
    return audience.pk


@probe_kwarg("goal_id")
def foreign_goal(world):
    goal, _created = Goal.objects.get_or_create(
        plan=_plan(world),
        metric="reach",
        defaults={"target": 1000, "due_on": datetime.date(2027, 6, 30)},
    )
    return goal.pk


@probe_kwarg("entry_id")
def foreign_network_entry(world):
    entry, _created = NetworkPlan.objects.get_or_create(plan=_plan(world), network="mastodon")
    return entry.pk


@probe_kwarg("version_id")
def foreign_version(world):
    version, _created = PlanVersion.objects.get_or_create(
        plan=_plan(world), number=1, defaults={"snapshot": {}}
    )
    return version.pk
