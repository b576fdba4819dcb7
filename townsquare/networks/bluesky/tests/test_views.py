"""Settings > Accounts > Connect Bluesky, without the network: the page, its checks, who may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db


def url(workspace):
    return reverse("workspace_connect_bluesky", args=[workspace.slug])


def test_the_accounts_page_offers_to_connect_bluesky(alice_client, workspace_a):
    page = alice_client.get(reverse("workspace_accounts", args=[workspace_a.slug]))
    assert url(workspace_a) in page.content.decode()


def test_the_connect_page_asks_for_handle_and_app_password(alice_client, workspace_a):
    page = alice_client.get(url(workspace_a))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="handle"' in html and 'type="password"' in html and 'name="service_url"' in html


def test_a_server_address_inside_the_network_is_refused_before_any_login(
    alice_client, workspace_a, settings
):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    page = alice_client.post(
        url(workspace_a),
        {
            "handle": "morgenrot.bsky.social",
            "app_password": "abcd-efgh-ijkl-mnop",
            "service_url": "http://127.0.0.1:2583",
        },
    )
    assert page.status_code == 400
    assert "may not connect" in page.content.decode()
    assert not SocialAccount.objects.exists()


def test_an_editor_may_not_connect_accounts(client, bob, workspace_a):
    client.force_login(bob)
    assert client.get(url(workspace_a)).status_code == 403


def test_a_stranger_sees_nothing(client, carol, workspace_a):
    client.force_login(carol)
    assert client.get(url(workspace_a)).status_code == 404
