"""The health of LinkedIn accounts: with a refresh token the countdown is the refresh token's
own deadline (LinkedIn's 365 days), not "renews itself" forever; a login refused while the
installation sends a LinkedIn API version past its sunset is an operator's problem
(LINKEDIN_API_VERSION), said as such and without a "connect again" link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.networks.account_health import account_health, connection_facts
from townsquare.networks.credentials import store_credentials
from townsquare.networks.health import ConnectionFacts, connection_health, problem_for_post
from townsquare.networks.health_texts import problem_text
from townsquare.networks.models import SocialAccount

NOW = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


def test_a_refresh_token_counts_down_to_its_own_deadline():
    facts = ConnectionFacts(
        connected=True,
        token_expires_at=NOW + timedelta(days=50),
        renews_itself=True,
        renewal_ends_at=NOW + timedelta(days=3),
    )
    health = connection_health(facts, NOW)
    assert health.code == "expires_soon" and health.expires_in == timedelta(days=3)
    assert health.expires_at == NOW + timedelta(days=3)
    assert problem_for_post(facts, NOW + timedelta(days=4), NOW) == "expires_before_post"
    assert connection_health(facts, NOW + timedelta(days=4)).code == "expired"
    # A refresh token without a known deadline renews without a countdown, as before.
    forever = ConnectionFacts(connected=True, renews_itself=True, token_expires_at=NOW)
    assert connection_health(forever, NOW).expires_in is None


def test_a_retired_api_version_is_not_a_revoked_login():
    facts = ConnectionFacts(connected=True, needs_reconnect=True, version_retired=True)
    health = connection_health(facts, NOW)
    assert health.code == "version_retired" and health.blocks_publishing
    assert problem_for_post(facts, NOW, NOW) == "version_retired"
    assert "LINKEDIN_API_VERSION" in problem_text("version_retired")


def _connected(workspace, network="linkedin_page", **values) -> SocialAccount:
    account = SocialAccount.objects.create(
        workspace=workspace,
        network=network,
        handle="linkedin",
        connected_at=timezone.now(),
        token_expires_at=timezone.now() + timedelta(days=59),
    )
    store_credentials(account, {"access_token": "at", **values})
    return account


@pytest.mark.django_db
def test_the_accounts_page_counts_down_the_refresh_token_s_deadline(alice_client, workspace_a):
    ends = timezone.now() + timedelta(days=2, hours=1)
    account = _connected(
        workspace_a, refresh_token="rt", extra={"refresh_expires_at": ends.isoformat()}
    )
    assert connection_facts(account).renewal_ends_at == ends
    assert account_health(account).code == "expires_soon"
    page = alice_client.get(reverse("workspace_accounts", args=[workspace_a.slug]))
    assert "access expires in 2 days" in page.content.decode()
    # Without a refresh token the access token's 60 days are the countdown, as for X.
    account.delete()
    _connected(workspace_a)
    page = alice_client.get(reverse("workspace_accounts", args=[workspace_a.slug]))
    assert "access expires in 58 days" in page.content.decode()


@pytest.mark.django_db
def test_a_login_refused_past_the_version_s_sunset_asks_the_operator(
    alice_client, workspace_a, settings
):
    settings.LINKEDIN_API_VERSION = "202401"  # sunset from 2025-01 on
    account = _connected(workspace_a, network="linkedin_profile")
    account.needs_reconnect = True
    account.save(update_fields=["needs_reconnect"])
    assert account_health(account).code == "version_retired"
    html = alice_client.get(reverse("workspace_accounts", args=[workspace_a.slug])).content
    text = html.decode()
    assert "the operator has to update LINKEDIN_API_VERSION" in text
    assert "Connect again" not in text
    # With a version still served, a refused login is a revoked access as on every network.
    settings.LINKEDIN_API_VERSION = ""
    assert account_health(account).code == "needs_reconnect"
    assert (
        "Connect again"
        in alice_client.get(reverse("workspace_accounts", args=[workspace_a.slug])).content.decode()
    )
