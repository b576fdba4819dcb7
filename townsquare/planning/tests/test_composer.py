"""The composer's campaign, pillar and audience: offered from the plan, stored with the
post, shown on the posts list; another workspace's ids are refused; the preview follows
the campaign's tone."""

import pytest

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.planning import actions
from townsquare.planning.access import campaign_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_objects(membership):
    campaign = actions.do_save_campaign(
        membership, {"name": "Frühjahrsaktion", "starts_on": "2027-03-01", "ends_on": "2027-03-31"}
    )
    pillar = actions.do_save_pillar(membership, {"name": "Röstkunst", "target_share": 40})
    audience = actions.do_save_audience(membership, {"name": "Kaffeeliebhaber"})
    return campaign, pillar, audience


def _form(account, **extra):
    return {"text": "Frisch geröstet 🎉", "language": "de", "accounts": [str(account.pk)], **extra}


def test_the_composer_stores_campaign_pillar_and_audience(alice_client, workspace_a, plan_objects):
    campaign, pillar, audience = plan_objects
    account = SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a")
    page = alice_client.get(f"/w/{workspace_a.slug}/compose/").content.decode()
    assert "Frühjahrsaktion" in page and "Röstkunst" in page and "Kaffeeliebhaber" in page
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        _form(
            account,
            action="save",
            campaign=str(campaign.pk),
            pillar=str(pillar.pk),
            audience=str(audience.pk),
        ),
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.campaign, post.pillar, post.audience) == (campaign, pillar, audience)
    edit = alice_client.get(f"/w/{workspace_a.slug}/posts/{post.pk}/").content.decode()
    assert f'<option value="{campaign.pk}" selected>Frühjahrsaktion</option>' in edit
    listing = alice_client.get(f"/w/{workspace_a.slug}/posts/").content.decode()
    assert '<span class="badge" title="Campaign">Frühjahrsaktion</span>' in listing


def test_another_workspaces_pillar_is_refused(
    alice_client, workspace_a, plan_objects, carol_membership
):
    foreign = actions.do_save_pillar(carol_membership, {"name": "Fremd", "target_share": 5})
    account = SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a")
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/", _form(account, action="save", pillar=str(foreign.pk))
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Post.objects.exists()


def test_the_preview_follows_the_campaigns_tone(
    alice_client, membership, workspace_a, plan_objects
):
    campaign = plan_objects[0]
    actions.do_save_tone(membership, campaign_plan(campaign), {"emoji_policy": "none"})
    account = SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a")
    url = f"/w/{workspace_a.slug}/compose/preview/"
    plain = alice_client.post(url, _form(account), HTTP_HX_REQUEST="true").content.decode()
    during = alice_client.post(
        url, _form(account, campaign=str(campaign.pk)), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "The plan says to use no emoji" not in plain
    assert "The plan says to use no emoji" in during


def test_without_plan_objects_the_composer_points_to_the_plan(alice_client, workspace_a):
    SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@a")
    page = alice_client.get(f"/w/{workspace_a.slug}/compose/").content.decode()
    assert "No campaigns, pillars or audiences yet: add them in the plan." in page
