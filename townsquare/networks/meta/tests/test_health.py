"""The health of Facebook Page and Instagram accounts: a Page token from a long-lived user
token does not expire, so there is no countdown (the user token's 60 days end nothing
Townsquare keeps); the one date that does end their publishing is the day Meta stops
serving the Graph API version the installation sends, shown at once as the operator's
problem (META_GRAPH_API_VERSION), without a "connect again" link."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from townsquare.networks.account_health import connection_facts
from townsquare.networks.credentials import store_credentials
from townsquare.networks.health import ConnectionFacts, connection_health, problem_for_post
from townsquare.networks.health_texts import problem_text
from townsquare.networks.meta import payloads
from townsquare.networks.meta.tests.fake_meta import IG, PAGE
from townsquare.networks.models import SocialAccount

NOW = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


def test_a_retired_graph_version_is_the_operators_problem_at_once():
    facts = ConnectionFacts(connected=True, graph_version_retired=True)
    health = connection_health(facts, NOW)
    assert health.code == "graph_version_retired" and health.blocks_publishing
    assert problem_for_post(facts, NOW + timedelta(days=1), NOW) == "graph_version_retired"
    assert "META_GRAPH_API_VERSION" in problem_text("graph_version_retired")
    # Also when a check already failed for it: the version, not the login, is the reason.
    refused = ConnectionFacts(connected=True, needs_reconnect=True, graph_version_retired=True)
    assert connection_health(refused, NOW).code == "graph_version_retired"
    # Posted by reminder, nothing is sent to Meta: no version problem to show.
    by_hand = ConnectionFacts(connected=True, automatic=False, graph_version_retired=True)
    assert connection_health(by_hand, NOW).code == "by_reminder"


def test_a_page_token_without_expiry_shows_no_countdown():
    health = connection_health(ConnectionFacts(connected=True, token_expires_at=None), NOW)
    assert health.code == "ok" and health.expires_in is None and health.expires_at is None


def _connected(workspace, network: str) -> SocialAccount:
    account = SocialAccount.objects.create(
        workspace=workspace, network=network, handle="kaffee", connected_at=timezone.now()
    )
    extra = {"page_id": PAGE, **({"ig_user_id": IG} if network == "instagram" else {})}
    store_credentials(account, {"access_token": "page-token", "expires_at": None, "extra": extra})
    return account


@pytest.mark.django_db
@pytest.mark.parametrize("network", ["facebook_page", "instagram"])
def test_the_facts_tell_when_the_graph_version_sent_is_past_its_date(
    workspace_a, settings, monkeypatch, network
):
    account = _connected(workspace_a, network)
    settings.META_GRAPH_API_VERSION = ""
    facts = connection_facts(account)
    assert not facts.graph_version_retired and facts.token_expires_at is None
    # The pinned version past its "available until": every Meta account says so.
    monkeypatch.setitem(payloads.VERSION_AVAILABLE_UNTIL, payloads.API_VERSION, date(2026, 1, 1))
    assert connection_facts(account).graph_version_retired
    # A newer version set by the operator repairs it.
    settings.META_GRAPH_API_VERSION = "v99.0"
    assert not connection_facts(account).graph_version_retired


@pytest.mark.django_db
def test_only_meta_accounts_with_a_login_are_judged_by_the_graph_version(workspace_a, monkeypatch):
    monkeypatch.setitem(payloads.VERSION_AVAILABLE_UNTIL, payloads.API_VERSION, date(2026, 1, 1))
    never_connected = SocialAccount.objects.create(
        workspace=workspace_a, network="facebook_page", handle="kaffee"
    )
    assert not connection_facts(never_connected).graph_version_retired
    other = SocialAccount.objects.create(workspace=workspace_a, network="x", handle="kaffee")
    store_credentials(other, {"access_token": "t"})
    assert not connection_facts(other).graph_version_retired


@pytest.mark.django_db
def test_the_accounts_page_shows_no_countdown_and_then_asks_the_operator(
    alice_client, workspace_a, monkeypatch
):
    from django.urls import reverse

    from townsquare.networks.account_health import account_health

    account = _connected(workspace_a, "facebook_page")
    url = reverse("workspace_accounts", args=[workspace_a.slug])
    assert account.publishes_automatically and account_health(account).code == "ok"
    text = alice_client.get(url).content.decode()
    assert "access expires" not in text
    monkeypatch.setitem(payloads.VERSION_AVAILABLE_UNTIL, payloads.API_VERSION, date(2026, 1, 1))
    assert account_health(account).code == "graph_version_retired"
    text = alice_client.get(url).content.decode()
    assert "the operator has to update META_GRAPH_API_VERSION" in text
    assert "Connect again" not in text
