"""The plan's writes: permission, checks, a version per change, and the audit log."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied

from townsquare.audit.models import AuditEvent
from townsquare.content.actions import PostInput, do_save_post
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.planning import actions
from townsquare.planning.access import campaign_plan, effective_network_plan, workspace_plan
from townsquare.planning.models import Goal, NetworkPlan, Plan, PlanVersion
from townsquare.planning.tests.conftest import NETWORK
from townsquare.planning.tone import engine_style

pytestmark = pytest.mark.django_db


def _campaign(membership, name="Frühjahrsaktion"):
    return actions.do_save_campaign(
        membership, {"name": name, "starts_on": "2027-03-01", "ends_on": "2027-03-31"}
    )


def test_every_save_is_a_version_with_a_snapshot_and_an_audit_event(membership, workspace_a):
    plan = workspace_plan(workspace_a)
    entry = actions.do_save_network(membership, plan, NETWORK)
    actions.do_save_network(membership, plan, {**NETWORK, "posts_per_week": 3}, entry)
    actions.do_save_pillar(membership, {"name": "Röstkunst", "target_share": 40})
    plan.refresh_from_db()
    assert plan.version == 3 and plan.updated_by == membership.user
    latest = PlanVersion.objects.get(plan=plan, number=3)
    assert latest.author == membership.user
    assert latest.snapshot["networks"][0]["posts_per_week"] == 3
    assert latest.snapshot["pillars"][0]["name"] == "Röstkunst"
    assert AuditEvent.objects.filter(action="plan.network.save").count() == 2


def test_editors_may_not_change_the_plan(bob_membership, workspace_a):
    with pytest.raises(PermissionDenied):
        actions.do_save_network(bob_membership, workspace_plan(workspace_a), NETWORK)
    with pytest.raises(PermissionDenied):
        actions.do_save_pillar(bob_membership, {"name": "X"})
    assert not NetworkPlan.objects.exists()


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"network": "myspace"}, "unknown_network"),
        ({"network": "x", "preferred_times": ["9:00"]}, "invalid_times"),
        ({"network": "x", "preferred_times": ["24:00"]}, "invalid_times"),
        ({"network": "x", "preferred_days": [7]}, "invalid_days"),
        ({"network": "x", "posts_per_week": 101}, "invalid_number"),
        ({"network": "x", "posts_per_week": -1}, "invalid_number"),
        ({"network": "x", "address": "ihr"}, "invalid_choice"),
        ({"network": "x", "rationale": "a\x00b"}, "invalid_text"),
    ],
)
def test_bad_network_values_are_refused(membership, workspace_a, values, code):
    with pytest.raises(ActionError) as refused:
        actions.do_save_network(membership, workspace_plan(workspace_a), values)
    assert refused.value.code == code
    assert not NetworkPlan.objects.exists() and not PlanVersion.objects.exists()


def test_a_network_is_in_a_plan_once(membership, workspace_a):
    plan = workspace_plan(workspace_a)
    actions.do_save_network(membership, plan, NETWORK)
    with pytest.raises(ActionError, match="in the plan already"):
        actions.do_save_network(membership, plan, NETWORK)


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"metric": "reach", "target": "abc", "due_on": "2027-01-01"}, "invalid_number"),
        ({"metric": "reach", "target": "NaN", "due_on": "2027-01-01"}, "invalid_number"),
        ({"metric": "reach", "target": "1", "due_on": "2027-02-30"}, "invalid_date"),
        ({"metric": "engagement_rate", "target": "150", "due_on": "2027-01-01"}, "invalid_number"),
        (
            {"metric": "reach", "target": "1", "starts_on": "2027-05-01", "due_on": "2027-01-01"},
            "invalid_dates",
        ),
        ({"metric": "likes", "target": "1", "due_on": "2027-01-01"}, "invalid_choice"),
    ],
)
def test_bad_goals_are_refused(membership, workspace_a, values, code):
    with pytest.raises(ActionError) as refused:
        actions.do_save_goal(membership, workspace_plan(workspace_a), values)
    assert refused.value.code == code
    assert not Goal.objects.exists()


def test_pillar_names_colours_and_shares(membership):
    actions.do_save_pillar(
        membership, {"name": "Röstkunst", "target_share": 60, "colour": "#A0B1C2"}
    )
    with pytest.raises(ActionError, match="exists already"):
        actions.do_save_pillar(membership, {"name": "röstkunst", "target_share": 10})
    with pytest.raises(ActionError) as colour:
        actions.do_save_pillar(membership, {"name": "Rezepte", "colour": "#abc"})
    assert colour.value.code == "invalid_colour"
    with pytest.raises(ActionError) as shares:
        actions.do_save_pillar(membership, {"name": "Rezepte", "target_share": 41})
    assert shares.value.code == "shares_over_100"
    assert actions.do_save_pillar(membership, {"name": "Rezepte", "target_share": 40}).pk


def test_a_campaign_ends_after_it_starts_and_has_a_unique_name(membership):
    _campaign(membership)
    with pytest.raises(ActionError, match="exists already"):
        _campaign(membership)
    with pytest.raises(ActionError) as refused:
        actions.do_save_campaign(
            membership, {"name": "B", "starts_on": "2027-04-01", "ends_on": "2027-03-01"}
        )
    assert refused.value.code == "invalid_dates"


def test_the_campaign_plan_falls_back_to_the_workspace_plan(membership, workspace_a):
    plan = workspace_plan(workspace_a)
    actions.do_save_network(membership, plan, NETWORK)
    actions.do_save_network(membership, plan, {"network": "mastodon", "posts_per_week": 5})
    campaign = _campaign(membership)
    actions.do_save_network(
        membership, campaign_plan(campaign), {"network": "mastodon", "posts_per_week": 9}
    )
    assert effective_network_plan(workspace_a, "mastodon", campaign).posts_per_week == 9
    assert effective_network_plan(workspace_a, "mastodon").posts_per_week == 5
    assert effective_network_plan(workspace_a, "linkedin_page", campaign).posts_per_week == 2
    assert effective_network_plan(workspace_a, "x", campaign) is None


def test_the_engine_reads_the_plan_and_a_campaign_tone_overrides(membership, workspace_a):
    plan = workspace_plan(workspace_a)
    actions.do_save_tone(
        membership, plan, {"address": "du", "emoji_policy": "free", "avoid_words": ["billig"]}
    )
    actions.do_save_network(membership, plan, {"network": "linkedin_page", "address": "sie"})
    campaign = _campaign(membership)
    actions.do_save_tone(
        membership, campaign_plan(campaign), {"emoji_policy": "none", "avoid_words": ["Rabatt"]}
    )
    base = engine_style(workspace_a)
    assert base.address == "du" and base.for_network("linkedin_page").address == "sie"
    during = engine_style(workspace_a, campaign)
    assert during.emoji_policy == "none" and during.address == "du"
    assert set(during.banned_words) == {"billig", "Rabatt"}
    assert during.for_network("linkedin_page").address == "sie"

    account = SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a")
    text = "Frisch geröstet, nicht billig 🎉 Rabatt für dich!"
    plain = do_save_post(membership, PostInput(text=text), [account.pk]).variants.get()
    in_campaign = do_save_post(
        membership, PostInput(text=text, campaign_id=campaign.pk), [account.pk]
    ).variants.get()
    plain_codes = {w["code"] for w in plain.warnings}
    campaign_messages = [w["message_en"] for w in in_campaign.warnings]
    assert "emoji_not_wanted" not in plain_codes
    assert "The plan says to use no emoji, but the text has 1 emoji." in campaign_messages
    assert any("“billig”, “Rabatt”" in m for m in campaign_messages)


def test_a_post_refuses_another_workspaces_campaign(membership, carol_membership, workspace_a):
    foreign = _campaign(carol_membership, "Fremd")
    account = SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a")
    with pytest.raises(ActionError) as refused:
        do_save_post(membership, PostInput(text="Hallo", campaign_id=foreign.pk), [account.pk])
    assert refused.value.code == "unknown_campaign"


def test_the_style_settings_are_carried_into_the_plan(workspace_a, workspace_b):
    """The data migration: each workspace's style settings become its plan's tone."""
    migration = importlib.import_module("townsquare.planning.migrations.0003_style_into_plan")
    styles = [
        SimpleNamespace(
            workspace_id=workspace_a.pk,
            address="sie",
            emoji_policy="few",
            max_emoji=2,
            hashtag_policy="move_to_end",
            max_hashtags={"instagram": 5},
            banned_words=["billig"],
        )
    ]
    Plan.objects.create(workspace=workspace_b, summary="Schon da")

    class Styles:
        objects = SimpleNamespace(all=lambda: styles)

    class Apps:
        @staticmethod
        def get_model(app, name):
            return Styles if name == "StyleSettings" else django_apps.get_model(app, name)

    migration.style_into_plan(Apps, None)
    plan = Plan.objects.get(workspace=workspace_a, campaign=None)
    assert (plan.address, plan.emoji_policy, plan.max_emoji) == ("sie", "few", 2)
    assert plan.hashtag_policy == "move_to_end" and plan.max_hashtags == {"instagram": 5}
    assert plan.avoid_words == ["billig"] and plan.version == 1
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1 and version.snapshot["tone"]["address"] == "sie"
    assert engine_style(workspace_a).max_hashtags == {"instagram": 5}
    assert Plan.objects.get(workspace=workspace_b).version == 0, "without style, untouched"
