"""Warnings before a scheduled post would fail because of its account's connection."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.networks.credentials import store_credentials
from townsquare.notifications.models import Notification
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.connection_warnings import at_risk, notify_accounts_at_risk
from townsquare.publishing.models import Publication


@pytest.fixture
def scheduled(membership, make_post):
    def schedule(hours: float):
        post = make_post()
        wall = timezone.localtime(
            timezone.now() + timedelta(hours=hours), timezone.get_fixed_timezone(0)
        ).replace(tzinfo=None)
        do_schedule_post(membership, post, wall, "UTC")
        return post

    return schedule


def test_a_healthy_account_puts_nothing_at_risk(scheduled, testnet_account):
    scheduled(2)
    assert at_risk(Publication.objects.all()) == []
    assert notify_accounts_at_risk() == 0


def test_an_account_that_needs_reconnecting_is_warned_about_once_a_day(
    scheduled, testnet_account, alice
):
    scheduled(2)
    scheduled(5)
    testnet_account.needs_reconnect = True
    testnet_account.save()

    risky = at_risk(Publication.objects.all())
    assert [item.code for item in risky] == ["needs_reconnect", "needs_reconnect"]
    assert notify_accounts_at_risk() == 1
    notes = Notification.objects.filter(kind="connection_problem", recipient=alice)
    assert notes.count() == 1
    assert notes[0].data["posts"] == 2 and notes[0].data["code"] == "needs_reconnect"
    # The same problem the same day: no second notification.
    assert notify_accounts_at_risk() == 0
    # A day later, still broken: told again.
    assert notify_accounts_at_risk(timezone.now() + timedelta(days=1, minutes=1)) == 1


def test_posts_beyond_the_notice_period_wait_for_their_day(scheduled, testnet_account):
    scheduled(48)
    testnet_account.needs_reconnect = True
    testnet_account.save()
    assert notify_accounts_at_risk() == 0


def test_a_token_that_expires_before_the_post_is_due(scheduled, testnet_account):
    testnet_account.token_expires_at = timezone.now() + timedelta(hours=3)
    testnet_account.save()
    early, late = scheduled(1), scheduled(6)
    codes = {item.publication.post_id: item.code for item in at_risk(Publication.objects.all())}
    assert codes == {late.pk: "expires_before_post"}
    assert early.pk not in codes
    # With a refresh token the expiry of the access token does not matter.
    store_credentials(testnet_account, {"access_token": "a", "refresh_token": "r"})
    assert at_risk(Publication.objects.all()) == []


def test_the_post_page_and_dashboard_warn(scheduled, testnet_account, alice_client, workspace_a):
    post = scheduled(2)
    testnet_account.needs_reconnect = True
    testnet_account.save()
    page = alice_client.get(
        reverse("content_post", kwargs={"workspace": workspace_a.slug, "post_id": post.pk})
    )
    assert "The network no longer accepts the account" in page.content.decode()
    dashboard = alice_client.get(
        reverse("workspace_dashboard", kwargs={"workspace": workspace_a.slug})
    )
    assert "1 scheduled post would fail" in dashboard.content.decode()


def test_the_accounts_page_shows_health_and_a_way_back(
    testnet_account, alice_client, workspace_a, membership
):
    from townsquare.networks.models import SocialAccount

    bluesky = SocialAccount.objects.create(
        workspace=workspace_a,
        network="bluesky",
        handle="morgenrot.bsky.social",
        connected_at=timezone.now(),
        last_success_at=timezone.now() - timedelta(hours=3),
        needs_reconnect=True,
    )
    store_credentials(bluesky, {"access_token": "a"})
    url = reverse("workspace_accounts", kwargs={"workspace": workspace_a.slug})
    html = alice_client.get(url).content.decode()
    assert "Access revoked: connect it again" in html
    assert "last worked 3" in html
    assert reverse("workspace_connect_bluesky", kwargs={"workspace": workspace_a.slug}) in html

    bluesky.needs_reconnect = False
    bluesky.token_expires_at = timezone.now() + timedelta(days=3, hours=1)
    bluesky.save()
    html = alice_client.get(url).content.decode()
    assert "access expires in 3" in html
