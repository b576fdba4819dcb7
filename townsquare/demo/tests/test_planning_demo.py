"""Each demo workspace gets a plan: networks with rationale, tone and cadence, two audiences,
three goals, four pillars making 100 %, a campaign around today with its own plan, and three
versions in the history; running the demo twice changes nothing."""

import pytest
from django.utils import timezone

from townsquare.demo.content import seed_content
from townsquare.demo.people import seed_people
from townsquare.demo.planning import CAMPAIGNS, PILLARS, seed_plan
from townsquare.planning.models import Campaign, Pillar, Plan, PlanVersion

pytestmark = pytest.mark.django_db


def test_the_demo_plans_are_complete_and_twice_is_once():
    _user, workspaces = seed_people("demo-pass-123456")
    seed_content(workspaces)
    seed_plan(workspaces)
    counts = (PlanVersion.objects.count(), Pillar.objects.count(), Campaign.objects.count())
    seed_content(workspaces)
    seed_plan(workspaces)
    assert (PlanVersion.objects.count(), Pillar.objects.count(), Campaign.objects.count()) == counts
    today = timezone.localdate()
    for workspace in workspaces:
        plan = Plan.objects.get(workspace=workspace, campaign=None)
        assert plan.version == 3 and plan.versions.count() == 3
        assert 3 <= plan.networks.count() <= 4
        assert all(entry.rationale and entry.posts_per_week for entry in plan.networks.all())
        assert plan.goals.count() == 3 and all(g.due_on.year >= 2027 for g in plan.goals.all())
        assert workspace.audiences.count() == 2
        pillars = {p.name: p.target_share for p in workspace.pillars.all()}
        assert pillars == {name: share for name, share, *_ in PILLARS[workspace.name]}
        assert sum(pillars.values()) == 100
        campaign = Campaign.objects.get(workspace=workspace, name=CAMPAIGNS[workspace.name])
        assert campaign.starts_on <= today <= campaign.ends_on
        assert campaign.plan.networks.exists()
        # The plans start before the calendar demo's six weeks of history.
        assert plan.starts_on.weekday() == 0
        assert (today - plan.starts_on).days >= 7 * 7
        assert campaign.plan.starts_on == campaign.starts_on
    german = Plan.objects.get(workspace__name="Morgenrot Kaffeerösterei", campaign=None)
    assert german.address == "du" and german.networks.get(network="linkedin_page").address == "sie"
