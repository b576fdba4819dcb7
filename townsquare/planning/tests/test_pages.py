"""The plan's pages: everyone reads, owners and managers change, bad input is explained."""

import pytest

from townsquare.planning.actions import do_save_network, do_save_pillar
from townsquare.planning.models import Campaign, Goal, NetworkPlan, Pillar, Plan, PlanVersion
from townsquare.planning.tests.conftest import NETWORK
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def _url(workspace, rest=""):
    return f"/w/{workspace.slug}/plan/{rest}"


def test_the_nav_leads_to_the_plan_and_an_empty_plan_says_so(alice_client, workspace_a):
    page = alice_client.get(_url(workspace_a)).content.decode()
    assert "Social media plan" in page
    assert "No network in the plan yet." in page and "Add a network" in page
    dashboard = alice_client.get(f"/w/{workspace_a.slug}/").content.decode()
    assert f'href="/w/{workspace_a.slug}/plan/"' in dashboard


def test_an_owner_adds_a_network_with_its_cadence_and_a_version_is_saved(alice_client, workspace_a):
    response = alice_client.post(
        _url(workspace_a, "networks/add/"),
        {
            "network": "linkedin_page",
            "rationale": "Geschäftskunden gewinnen",
            "posts_per_week": "3",
            "preferred_days": ["1", "2", "3"],
            "preferred_times": "09:00, 13:30",
            "address": "sie",
            "formality": "",
            "emoji_policy": "none",
            "hashtag_policy": "",
        },
    )
    assert response.status_code == 302
    entry = NetworkPlan.objects.get(plan__workspace=workspace_a)
    assert entry.posts_per_week == 3 and entry.preferred_days == [1, 2, 3]
    assert entry.preferred_times == ["09:00", "13:30"] and entry.address == "sie"
    plan = Plan.objects.get(workspace=workspace_a, campaign=None)
    assert plan.version == 1 and PlanVersion.objects.filter(plan=plan, number=1).exists()
    page = alice_client.get(_url(workspace_a)).content.decode()
    assert "LinkedIn (page)" in page and "3 per week" in page and "09:00, 13:30" in page
    history = alice_client.get(_url(workspace_a, "history/")).content.decode()
    assert "Version 1" in history and "LinkedIn (page) added to the plan" in history


def test_bad_cadence_is_explained_and_nothing_is_saved(alice_client, workspace_a):
    response = alice_client.post(
        _url(workspace_a, "networks/add/"),
        {"network": "mastodon", "posts_per_week": "3", "preferred_times": "25:00"},
    )
    assert response.status_code == 200
    assert "“25:00” is no time; write HH:MM" in response.content.decode()
    assert not NetworkPlan.objects.exists() and not PlanVersion.objects.exists()


def test_pillar_shares_above_100_are_refused(alice_client, membership, workspace_a):
    do_save_pillar(membership, {"name": "Röstkunst", "target_share": 70})
    response = alice_client.post(
        _url(workspace_a, "pillars/add/"), {"name": "Rezepte", "target_share": "40"}
    )
    assert response.status_code == 200
    assert "add up to 110 %" in response.content.decode()
    assert list(Pillar.objects.values_list("name", flat=True)) == ["Röstkunst"]


def test_a_goal_with_its_number_and_date(alice_client, workspace_a):
    response = alice_client.post(
        _url(workspace_a, "goals/add/"),
        {
            "metric": "follower_growth",
            "network": "instagram",
            "target": "1500",
            "due_on": "2027-06-30",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert str(goal.target) == "1500.00" and goal.due_on.isoformat() == "2027-06-30"
    bad = alice_client.post(
        _url(workspace_a, "goals/add/"),
        {"metric": "reach", "target": "viel", "due_on": "2027-13-01"},
    )
    assert "Target: a number" in bad.content.decode()
    assert Goal.objects.count() == 1


def test_a_campaign_and_its_own_plan(alice_client, workspace_a):
    response = alice_client.post(
        _url(workspace_a, "campaigns/"),
        {"name": "Frühjahrsaktion", "starts_on": "2027-03-01", "ends_on": "2027-03-31"},
    )
    campaign = Campaign.objects.get(workspace=workspace_a)
    assert response.status_code == 302
    assert response["Location"] == _url(workspace_a, f"campaigns/{campaign.pk}/")
    alice_client.post(
        _url(workspace_a, f"campaigns/{campaign.pk}/networks/add/"),
        {"network": "instagram", "posts_per_week": "6"},
    )
    assert NetworkPlan.objects.get(plan__campaign=campaign).posts_per_week == 6
    page = alice_client.get(_url(workspace_a, f"campaigns/{campaign.pk}/")).content.decode()
    assert "Frühjahrsaktion" in page and "6 per week" in page
    backwards = alice_client.post(
        _url(workspace_a, "campaigns/"),
        {"name": "Rückwärts", "starts_on": "2027-03-31", "ends_on": "2027-03-01"},
    )
    assert "must not end" in backwards.content.decode()


def test_a_viewer_reads_the_plan_but_cannot_change_it(client, bob, workspace_a, membership):
    do_save_network(
        membership, Plan.objects.get_or_create(workspace=workspace_a)[0], {"network": "x"}
    )
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role="viewer")
    client.force_login(bob)
    page = client.get(_url(workspace_a)).content.decode()
    assert "Only owners and managers can change the plan" in page
    assert "Add a network" not in page and "/plan/networks/" not in page
    assert client.get(_url(workspace_a, "networks/add/")).status_code == 403
    assert (
        client.post(_url(workspace_a, "networks/add/"), {"network": "bluesky"}).status_code == 403
    )
    tone = client.get(_url(workspace_a, "tone/")).content.decode()
    assert "disabled" in tone
    assert client.post(_url(workspace_a, "tone/"), {"address": "du"}).status_code == 403
    assert client.get(_url(workspace_a, "history/")).status_code == 200
    assert NetworkPlan.objects.count() == 1


def test_the_tone_page_saves_and_the_composer_follows_it(alice_client, membership, workspace_a):
    from townsquare.content.actions import PostInput, do_save_post
    from townsquare.networks.models import SocialAccount

    response = alice_client.post(
        _url(workspace_a, "tone/"),
        {
            "address": "sie",
            "formality": "formal",
            "emoji_policy": "none",
            "max_emoji": "0",
            "hashtag_policy": "move_to_end",
            "hashtags_instagram": "1",
            "avoid_words": "billig, Schnäppchen\nsuper günstig",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(workspace=workspace_a, campaign=None)
    assert plan.max_hashtags == {"instagram": 1}
    assert plan.avoid_words == ["billig", "Schnäppchen", "super günstig"]
    account = SocialAccount.objects.create(workspace=workspace_a, network="instagram", handle="@a")
    post = do_save_post(
        membership,
        PostInput(text="Der #Kaffee aus #Leipzig ist nicht billig, aber gut 😀"),
        [account.pk],
    )
    variant = post.variants.get()
    messages = [c["message_en"] for c in variant.changes + variant.warnings]
    assert any(m.startswith("The plan says to avoid these words") for m in messages)
    assert any("The plan says to use no emoji" in m for m in messages)


def test_the_tone_numbers_out_of_range_are_refused(alice_client, workspace_a):
    response = alice_client.post(
        _url(workspace_a, "tone/"),
        {"address": "sie", "emoji_policy": "few", "max_emoji": "999", "hashtag_policy": "none"},
    )
    assert response.status_code == 200
    assert "less than or equal to 50" in response.content.decode()
    assert not PlanVersion.objects.exists()


def test_another_workspaces_objects_are_not_found(
    alice_client, carol_membership, workspace_a, workspace_b
):
    pillar = do_save_pillar(carol_membership, {"name": "Geheim", "target_share": 10})
    plan = Plan.objects.get(workspace=workspace_b)
    entry = do_save_network(carol_membership, plan, {"network": "x"})
    own = alice_client  # a member of A only
    assert own.get(_url(workspace_b)).status_code == 404
    assert own.get(_url(workspace_a, f"pillars/{pillar.pk}/")).status_code == 404
    assert own.post(_url(workspace_a, f"pillars/{pillar.pk}/delete/")).status_code == 404
    assert own.get(_url(workspace_a, f"networks/{entry.pk}/")).status_code == 404
    version = PlanVersion.objects.filter(plan=plan).first()
    assert own.get(_url(workspace_a, f"versions/{version.pk}/")).status_code == 404
    assert Pillar.objects.filter(pk=pillar.pk).exists()


def test_the_plan_speaks_german(client, alice, workspace_a, membership):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    plan = Plan.objects.get_or_create(workspace=workspace_a)[0]
    do_save_network(membership, plan, {"network": "linkedin_page", "posts_per_week": 2})
    entry = NetworkPlan.objects.get()
    do_save_network(membership, plan, {"network": "linkedin_page", "posts_per_week": 3}, entry)
    history = client.get(_url(workspace_a, "history/")).content.decode()
    assert "LinkedIn (Seite): Veröffentlichungen pro Woche 2 → 3" in history
    page = client.get(_url(workspace_a)).content.decode()
    assert "Social-Media-Plan" in page and "Social media plan" not in page


def test_the_audit_log_names_plan_changes_in_words(alice_client, membership, workspace_a):
    do_save_network(membership, Plan.objects.get_or_create(workspace=workspace_a)[0], NETWORK)
    do_save_pillar(membership, {"name": "Röstkunst", "target_share": 30})
    page = alice_client.get(f"/w/{workspace_a.slug}/settings/audit/").content.decode()
    assert "Network of the plan saved" in page and "Content pillar saved" in page
    assert "Other change" not in page


def test_removing_a_network_and_deleting_a_pillar_are_new_versions(
    alice_client, membership, workspace_a
):
    plan = Plan.objects.get_or_create(workspace=workspace_a)[0]
    entry = do_save_network(membership, plan, NETWORK)
    pillar = do_save_pillar(membership, {"name": "Röstkunst", "target_share": 30})
    assert alice_client.get(_url(workspace_a, f"networks/{entry.pk}/remove/")).status_code == 405
    response = alice_client.post(_url(workspace_a, f"networks/{entry.pk}/remove/"))
    assert response.status_code == 302 and not NetworkPlan.objects.exists()
    alice_client.post(_url(workspace_a, f"pillars/{pillar.pk}/delete/"))
    assert not Pillar.objects.exists()
    plan.refresh_from_db()
    assert plan.version == 4
    history = alice_client.get(_url(workspace_a, "history/")).content.decode()
    assert "LinkedIn (page) removed from the plan" in history
    assert "Pillar removed: Röstkunst" in history


def test_adding_and_changing_each_kind_says_what_happened(alice_client, workspace_a):
    def said(url, data):
        page = alice_client.post(_url(workspace_a, url), data, follow=True).content.decode()
        return page.split('class="messages"', 1)[1].split("</ul>", 1)[0].replace("&#x27;", "'")

    network = {"network": "mastodon", "posts_per_week": "1"}
    assert "The network is in the plan." in said("networks/add/", network)
    entry = NetworkPlan.objects.get(network="mastodon")
    assert "The network's entry is saved." in said(f"networks/{entry.pk}/", network)
    assert "The pillar is saved." in said("pillars/add/", {"name": "Wissen", "target_share": "10"})
    pillar = Pillar.objects.get(name="Wissen")
    assert "The pillar is deleted." in said(f"pillars/{pillar.pk}/delete/", {})
    assert "The audience is saved." in said("audiences/add/", {"name": "Cafés"})
    goal = {"metric": "reach", "target": "100", "due_on": "2027-01-01"}
    assert "The goal is saved." in said("goals/add/", goal)
    assert "The goal is deleted." in said(f"goals/{Goal.objects.get().pk}/delete/", {})
    assert "The network is no longer in the plan." in said(f"networks/{entry.pk}/remove/", {})
    assert PlanVersion.objects.filter(plan__workspace=workspace_a).count() == 8
