"""GET /api/v1/workspaces/{workspace}/accounts: the accounts a client can post to, with their
connection health."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(workspace_a, workspace_b):
    planned = SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@alpha")
    broken = SocialAccount.objects.create(
        workspace=workspace_a,
        network="mastodon",
        handle="@alpha@social.example",
        connected_at=timezone.now() - timedelta(days=9),
        last_success_at=timezone.now() - timedelta(days=2),
        needs_reconnect=True,
    )
    store_credentials(broken, {"access_token": "t"})
    expiring = SocialAccount.objects.create(
        workspace=workspace_a,
        network="matrix_room",
        handle="#alpha:matrix.example",
        connected_at=timezone.now(),
        token_expires_at=timezone.now() + timedelta(days=2),
    )
    store_credentials(expiring, {"access_token": "t"})
    SocialAccount.objects.create(workspace=workspace_b, network="x", handle="@beta")
    return planned, broken, expiring


def test_the_list_shows_each_account_and_whether_a_post_would_go_out(
    alice_client, workspace_a, accounts
):
    response = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/accounts")
    assert response.status_code == 200
    rows = {row["handle"]: row for row in response.json()}
    assert set(rows) == {"@alpha", "@alpha@social.example", "#alpha:matrix.example"}
    assert rows["@alpha"]["connection"]["state"] == "unconnected"
    broken = rows["@alpha@social.example"]
    assert broken["network_name"] == "Mastodon"
    assert (broken["connection"]["state"], broken["connection"]["code"]) == (
        "error",
        "needs_reconnect",
    )
    assert broken["connection"]["connect_url"].endswith("/settings/accounts/mastodon/connect/")
    expiring = rows["#alpha:matrix.example"]["connection"]
    assert (expiring["state"], expiring["code"]) == ("warning", "expires_soon")
    assert expiring["expires_at"] is not None


def test_one_account_and_a_stranger_s_account(alice_client, workspace_a, workspace_b, accounts):
    planned = accounts[0]
    one = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/accounts/{planned.pk}")
    assert one.status_code == 200 and one.json()["id"] == planned.pk
    foreign = SocialAccount.objects.get(workspace=workspace_b)
    missing = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/accounts/{foreign.pk}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"]
    bad = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/accounts/abc")
    assert bad.status_code in (400, 404, 422) and "error" in bad.json()


def test_the_list_says_which_accounts_publish_automatically_and_which_by_reminder(
    alice_client, workspace_a, accounts
):
    response = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/accounts")
    modes = {row["handle"]: row["publishing"] for row in response.json()}
    assert modes == {
        "@alpha": "reminder",  # X: Townsquare has no connector for it
        "@alpha@social.example": "automatic",
        "#alpha:matrix.example": "automatic",
    }


def test_a_removed_account_is_no_longer_listed(alice_client, workspace_a, accounts, membership):
    from townsquare.networks.actions import do_remove_account

    do_remove_account(membership, accounts[0])
    response = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/accounts")
    assert "@alpha" not in {row["handle"] for row in response.json()}
    gone = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/accounts/{accounts[0].pk}")
    assert gone.status_code == 404
