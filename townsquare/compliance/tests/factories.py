"""Plans, accounts, posts and publications for the compliance and feed tests."""

from __future__ import annotations

from datetime import date, datetime

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, NetworkPlan, Pillar, Plan
from townsquare.publishing.models import Publication
from townsquare.workspaces.models import Workspace

LONG_AGO = date(2020, 1, 6)


def account(
    workspace: Workspace, network: str = "linkedin_page", handle: str = ""
) -> SocialAccount:
    return SocialAccount.objects.create(
        workspace=workspace, network=network, handle=handle or f"{network}-{workspace.pk}"
    )


def plan(
    workspace: Workspace,
    cadence: dict[str, int],
    *,
    campaign: Campaign | None = None,
    days: dict[str, list[int]] | None = None,
    starts_on: date = LONG_AGO,
) -> Plan:
    """A plan with the cadence given; it starts long before the weeks the tests look at
    unless `starts_on` says otherwise."""
    the_plan, _ = Plan.objects.get_or_create(workspace=workspace, campaign=campaign)
    Plan.objects.filter(pk=the_plan.pk).update(starts_on=starts_on)
    the_plan.starts_on = starts_on
    for network, per_week in cadence.items():
        NetworkPlan.objects.update_or_create(
            plan=the_plan,
            network=network,
            defaults={"posts_per_week": per_week, "preferred_days": (days or {}).get(network, [])},
        )
    return the_plan


def publication(
    acct: SocialAccount,
    due_at: datetime,
    status: str = "scheduled",
    *,
    text: str = "Neue Röstung aus Äthiopien",
    pillar: Pillar | None = None,
    campaign: Campaign | None = None,
    post: Post | None = None,
) -> Publication:
    post = post or Post.objects.create(
        workspace=acct.workspace,
        master_text=text,
        language="de",
        pillar=pillar,
        campaign=campaign,
    )
    return Publication.objects.create(
        workspace=acct.workspace,
        post=post,
        account=acct,
        status=status,
        due_at=due_at,
        published_at=due_at if status == "published" else None,
    )
