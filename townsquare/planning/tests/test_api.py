"""The plan's API: the same checks as the pages, one error shape, other workspaces unseen."""

import pytest

from townsquare.planning.models import Campaign, NetworkPlan, Pillar, PlanVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice_client):
    return alice_client


def _put(api, url, body):
    return api.put(url, body, content_type="application/json")


def _post(api, url, body):
    return api.post(url, body, content_type="application/json")


def test_put_and_get_the_plan_with_versions_and_a_diff(api, workspace_a):
    base = f"/api/v1/workspaces/{workspace_a.slug}/plan"
    first = _put(
        api,
        base,
        {
            "summary": "Mehr Reichweite in Leipzig",
            "tone": {"address": "du", "emoji_policy": "few", "max_emoji": 2},
            "networks": [{"network": "linkedin_page", "posts_per_week": 2, "address": "sie"}],
            "goals": [{"metric": "reach", "target": "50000", "due_on": "2027-06-30"}],
        },
    )
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 1 and first.json()["tone"]["address"] == "du"
    second = _put(api, base, {"networks": [{"network": "linkedin_page", "posts_per_week": 3}]})
    assert second.json()["version"] == 2
    assert second.json()["summary"] == "Mehr Reichweite in Leipzig", "sections left out stay"
    versions = api.get(f"{base}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    detail = api.get(f"{base}/versions/{versions[0]['id']}").json()
    assert "LinkedIn (page): publications per week 2 → 3" in [
        c["message_en"] for c in detail["changes"]
    ]
    assert detail["previous"] == 1


def test_bad_values_get_the_one_error_shape_and_nothing_is_saved(api, workspace_a):
    base = f"/api/v1/workspaces/{workspace_a.slug}/plan"
    response = _put(
        api,
        base,
        {
            "summary": "Neu",
            "networks": [
                {"network": "mastodon", "preferred_times": ["9 Uhr"]},
            ],
        },
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_times" and "networks, entry 1" in error["message"]
    assert not PlanVersion.objects.exists() and not NetworkPlan.objects.exists()
    unknown = _put(api, base, {"networks": [{"network": "myspace"}]})
    assert unknown.json()["error"]["code"] == "unknown_network"
    shares = _post(
        api, f"/api/v1/workspaces/{workspace_a.slug}/pillars", {"name": "A", "target_share": 80}
    )
    assert shares.status_code == 201
    over = _post(
        api, f"/api/v1/workspaces/{workspace_a.slug}/pillars", {"name": "B", "target_share": 30}
    )
    assert over.status_code == 400 and over.json()["error"]["code"] == "shares_over_100"
    colour = _post(
        api, f"/api/v1/workspaces/{workspace_a.slug}/pillars", {"name": "C", "colour": "red"}
    )
    assert colour.json()["error"]["code"] == "invalid_colour"
    assert list(Pillar.objects.values_list("name", flat=True)) == ["A"]


def test_campaign_crud_and_its_plan(api, workspace_a):
    base = f"/api/v1/workspaces/{workspace_a.slug}"
    created = _post(
        api,
        f"{base}/campaigns",
        {"name": "Frühjahrsaktion", "starts_on": "2027-03-01", "ends_on": "2027-03-31"},
    )
    assert created.status_code == 201
    campaign_id = created.json()["id"]
    plan = _put(
        api,
        f"{base}/campaigns/{campaign_id}/plan",
        {"tone": {"address": "sie"}, "networks": [{"network": "instagram", "posts_per_week": 7}]},
    )
    assert plan.status_code == 200 and plan.json()["campaign"]["name"] == "Frühjahrsaktion"
    backwards = _put(
        api,
        f"{base}/campaigns/{campaign_id}",
        {"name": "X", "starts_on": "2027-04-01", "ends_on": "2027-03-01"},
    )
    assert backwards.json()["error"]["code"] == "invalid_dates"
    assert api.delete(f"{base}/campaigns/{campaign_id}").status_code == 204
    assert not Campaign.objects.exists()


def test_other_workspaces_ids_are_refused(api, workspace_a, carol_membership, workspace_b):
    from townsquare.planning.actions import do_save_campaign, do_save_pillar

    pillar = do_save_pillar(carol_membership, {"name": "Geheim", "target_share": 10})
    campaign = do_save_campaign(
        carol_membership, {"name": "B", "starts_on": "2027-01-01", "ends_on": "2027-01-31"}
    )
    base = f"/api/v1/workspaces/{workspace_a.slug}"
    assert api.get(f"{base}/pillars/{pillar.pk}").status_code == 404
    assert _put(api, f"{base}/pillars/{pillar.pk}", {"name": "Meins"}).status_code == 404
    assert api.get(f"{base}/campaigns/{campaign.pk}/plan").status_code == 404
    assert api.get(f"/api/v1/workspaces/{workspace_b.slug}/plan").status_code == 404
    assert Pillar.objects.get(pk=pillar.pk).name == "Geheim"


def test_a_post_carries_campaign_pillar_and_audience_of_its_own_workspace(
    api, workspace_a, membership, carol_membership
):
    from townsquare.networks.models import SocialAccount
    from townsquare.planning.actions import do_save_audience, do_save_campaign, do_save_pillar

    account = SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a")
    campaign = do_save_campaign(
        membership, {"name": "Frühjahr", "starts_on": "2027-03-01", "ends_on": "2027-03-31"}
    )
    pillar = do_save_pillar(membership, {"name": "Röstkunst", "target_share": 30})
    audience = do_save_audience(membership, {"name": "Leipzig"})
    foreign = do_save_pillar(carol_membership, {"name": "Fremd", "target_share": 10})
    base = f"/api/v1/workspaces/{workspace_a.slug}/posts"
    body = {
        "text": "Hallo",
        "accounts": [account.pk],
        "campaign_id": campaign.pk,
        "pillar_id": pillar.pk,
        "audience_id": audience.pk,
    }
    created = _post(api, base, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["campaign_id"], data["pillar_id"], data["audience_id"]) == (
        campaign.pk,
        pillar.pk,
        audience.pk,
    )
    refused = _post(api, base, {**body, "pillar_id": foreign.pk})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "unknown_pillar"
