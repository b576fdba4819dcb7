"""Connecting Mastodon through the real views: the OAuth authorization-code flow against an
instance answering with captured documentation answers (see each fixture's `source`)."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from townsquare.audit.models import AuditEvent
from townsquare.networks.credentials import credentials_for, key_ring
from townsquare.networks.mastodon import oauth
from townsquare.networks.mastodon.tests.captured import FakeInstance, answer, captured
from townsquare.networks.models import MastodonApp, SocialAccount
from townsquare.networks.registry import _instances, forget_publishers

pytestmark = pytest.mark.django_db

CALLBACK = "/connect/mastodon/callback/"


def instance_routes(**changes) -> dict:
    routes = {
        "POST /api/v1/apps": answer("apps_create__ok_200.json"),
        "GET /.well-known/oauth-authorization-server": answer("oauth_server_metadata__ok_200.json"),
        "POST /oauth/token": answer("oauth_token__ok_200.json"),
        "GET /api/v1/accounts/verify_credentials": answer(
            "accounts_verify_credentials__ok_200.json"
        ),
        "GET /api/v2/instance": answer("instance_v2__ok.json"),
    }
    routes.update(changes)
    return {key: value for key, value in routes.items() if value is not None}


@pytest.fixture
def instance(settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True  # no DNS in tests; the guard is tested below
    fake = FakeInstance(instance_routes())
    forget_publishers()
    _instances["mastodon"] = fake.connector()
    yield fake
    forget_publishers()


def start(client, workspace, address="mastodon.example") -> dict[str, list[str]]:
    url = reverse("workspace_connect_mastodon", args=[workspace.slug])
    response = client.post(url, {"instance": address, "language": "de"})
    assert response.status_code == 302, response.content[:500]
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == (
        "https://mastodon.example/oauth/authorize"
    )
    return parse_qs(target.query)


def callback(client, **params):
    response = client.get(CALLBACK, params)
    assert response.status_code == 302
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def test_connecting_registers_once_sends_the_person_to_the_instance_and_adds_the_account(
    alice_client, workspace_a, instance
):
    query = start(alice_client, workspace_a)
    app = MastodonApp.objects.get()
    assert query["client_id"] == [captured("apps_create__ok_200.json")["body"]["client_id"]]
    assert query["redirect_uri"] == ["http://testserver" + CALLBACK]
    assert query["scope"] == ["read write"] and query["response_type"] == ["code"]
    registration = parse_qs(instance.sent("POST /api/v1/apps")[0].content.decode())
    assert registration["client_name"] == ["Townsquare"] and registration["scopes"] == [
        "read write"
    ]
    secret = captured("apps_create__ok_200.json")["body"]["client_secret"]
    assert secret not in app.client_secret_encrypted
    assert key_ring().decrypt(app.client_secret_encrypted) == secret

    response, messages = callback(alice_client, code="the-code", state=query["state"][0])
    assert response["Location"] == reverse("workspace_accounts", args=[workspace_a.slug])
    account = SocialAccount.objects.get(workspace=workspace_a, network="mastodon")
    assert account.handle == "@trwnh@mastodon.social"
    assert account.display_name == "infinite love ⴳ" and account.language == "de"
    assert account.connected_at and account.last_success_at and not account.needs_reconnect
    assert account.reported_limits["url_weight"] == 23
    assert account.reported_limits["text_max"] == 500
    assert account.reported_limits["alt_text_max"] == 1500
    creds = credentials_for(account)
    assert creds.access_token == captured("oauth_token__ok_200.json")["body"]["access_token"]
    assert creds.instance_url == "https://mastodon.example" and creds.extra["account_id"] == "14715"
    assert AuditEvent.objects.filter(action="account.connect").count() == 1
    assert any("connected" in message for message in messages)

    start(alice_client, workspace_a)  # a second sign-in reuses the registered app
    assert len(instance.sent("POST /api/v1/apps")) == 1


def test_the_pkce_verifier_sent_with_the_code_matches_the_challenge(
    alice_client, workspace_a, instance
):
    query = start(alice_client, workspace_a)
    assert query["code_challenge_method"] == ["S256"]
    callback(alice_client, code="the-code", state=query["state"][0])
    token_request = parse_qs(instance.sent("POST /oauth/token")[0].content.decode())
    assert token_request["grant_type"] == ["authorization_code"]
    assert token_request["code"] == ["the-code"]
    verifier = token_request["code_verifier"][0]
    assert oauth.pkce_challenge(verifier) == query["code_challenge"][0]
    assert token_request["client_secret"] == [
        captured("apps_create__ok_200.json")["body"]["client_secret"]
    ]


def test_an_instance_without_the_server_metadata_document_gets_no_pkce(
    alice_client, workspace_a, instance
):
    del instance.routes["GET /.well-known/oauth-authorization-server"]  # 404, as before 4.3
    query = start(alice_client, workspace_a)
    assert "code_challenge" not in query
    callback(alice_client, code="the-code", state=query["state"][0])
    assert "code_verifier" not in parse_qs(instance.sent("POST /oauth/token")[0].content.decode())
    assert SocialAccount.objects.filter(network="mastodon").count() == 1


def test_a_state_that_does_not_match_is_refused_and_nothing_is_stored(
    alice_client, workspace_a, instance
):
    query = start(alice_client, workspace_a)
    response, messages = callback(alice_client, code="c", state=query["state"][0] + "x")
    assert response["Location"] == reverse("home")
    assert any("unknown or was already used" in message for message in messages)
    assert not SocialAccount.objects.exists() and instance.sent("POST /oauth/token") == []


def test_a_state_works_once(alice_client, workspace_a, instance):
    query = start(alice_client, workspace_a)
    callback(alice_client, code="c", state=query["state"][0])
    _response, messages = callback(alice_client, code="c", state=query["state"][0])
    assert any("unknown or was already used" in message for message in messages)
    assert len(instance.sent("POST /oauth/token")) == 1


def test_a_state_older_than_ten_minutes_has_expired(alice_client, workspace_a, instance):
    query = start(alice_client, workspace_a)
    session = alice_client.session
    session[oauth.SESSION_KEY][0]["created"] -= oauth.STATE_TTL_S + 1
    session.save()
    response, messages = callback(alice_client, code="c", state=query["state"][0])
    assert response["Location"] == reverse("workspace_accounts", args=[workspace_a.slug])
    assert any("took too long" in message for message in messages)
    assert not SocialAccount.objects.exists() and instance.sent("POST /oauth/token") == []


def test_someone_who_left_the_workspace_meanwhile_connects_nothing(
    alice_client, alice, workspace_a, instance
):
    from townsquare.workspaces.models import Membership

    query = start(alice_client, workspace_a)
    Membership.objects.filter(user=alice, workspace=workspace_a).delete()
    response, messages = callback(alice_client, code="c", state=query["state"][0])
    assert response["Location"] == reverse("home")
    assert any("no longer connect" in message for message in messages)
    assert not SocialAccount.objects.exists() and instance.sent("POST /oauth/token") == []


def test_a_state_naming_a_workspace_of_another_organisation_connects_nothing(
    alice_client, alice, workspace_a, workspace_b, instance
):
    start(alice_client, workspace_a)
    app = MastodonApp.objects.get()
    session = alice_client.session
    forged = oauth.Pending(
        state="s" * 43,
        workspace=workspace_b.slug,
        user_id=alice.pk,
        instance=app.instance_url,
        created=time.time(),
        app_id=app.pk,
    )
    session[oauth.SESSION_KEY] = [forged.as_json()]
    session.save()
    response, _messages = callback(alice_client, code="c", state=forged.state)
    assert response["Location"] == reverse("home")
    assert workspace_b.slug not in response["Location"]
    assert not SocialAccount.objects.exists() and instance.sent("POST /oauth/token") == []


def test_a_member_without_the_permission_cannot_start(client, bob, workspace_a, instance):
    client.force_login(bob)  # an editor
    url = reverse("workspace_connect_mastodon", args=[workspace_a.slug])
    assert client.post(url, {"instance": "mastodon.example"}).status_code == 403
    assert instance.requests == []


def test_a_declined_authorisation_says_so_on_the_accounts_page(alice_client, workspace_a, instance):
    query = start(alice_client, workspace_a)
    response, messages = callback(alice_client, error="access_denied", state=query["state"][0])
    assert response["Location"] == reverse("workspace_accounts", args=[workspace_a.slug])
    assert any("declined" in message for message in messages)
    assert not SocialAccount.objects.exists() and instance.sent("POST /oauth/token") == []


def test_a_refused_token_exchange_stores_nothing(alice_client, workspace_a, instance):
    instance.routes["POST /oauth/token"] = answer("oauth_token__invalid_grant_400.json")
    query = start(alice_client, workspace_a)
    _response, messages = callback(alice_client, code="old", state=query["state"][0])
    assert any("The requested scope is invalid" in message for message in messages)
    assert (
        not SocialAccount.objects.exists()
        and not AuditEvent.objects.filter(action="account.connect").exists()
    )


def test_an_unreadable_answer_to_the_token_request_stores_nothing(
    alice_client, workspace_a, instance
):
    instance.routes["POST /oauth/token"] = httpx.Response(200, text="<html>")
    query = start(alice_client, workspace_a)
    _response, messages = callback(alice_client, code="c", state=query["state"][0])
    assert any("could not be reached" in message for message in messages)
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize(
    "address", ["", "not a host", "https://mastodon.example/path", "ftp://mastodon.example"]
)
def test_an_address_that_is_not_a_server_is_a_form_error(
    alice_client, workspace_a, instance, address
):
    url = reverse("workspace_connect_mastodon", args=[workspace_a.slug])
    response = alice_client.post(url, {"instance": address})
    assert response.status_code == 400
    assert instance.requests == []


def test_an_address_inside_the_private_network_is_refused(
    alice_client, workspace_a, instance, settings
):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    url = reverse("workspace_connect_mastodon", args=[workspace_a.slug])
    response = alice_client.post(url, {"instance": "http://127.0.0.1:3000"})
    assert response.status_code == 400
    assert "may not connect" in response.content.decode()
    assert instance.requests == [] and not MastodonApp.objects.exists()


def test_the_connect_page_renders(alice_client, workspace_a, instance):
    url = reverse("workspace_connect_mastodon", args=[workspace_a.slug])
    page = alice_client.get(url)
    assert page.status_code == 200
    accounts = alice_client.get(reverse("workspace_accounts", args=[workspace_a.slug]))
    assert url in accounts.content.decode()


def test_reconnecting_updates_the_same_account(alice_client, workspace_a, instance):
    for _ in range(2):
        query = start(alice_client, workspace_a)
        callback(alice_client, code="c", state=query["state"][0])
    account = SocialAccount.objects.get(network="mastodon")
    assert account.handle == "@trwnh@mastodon.social"
    events = AuditEvent.objects.filter(action="account.connect").order_by("pk")
    assert events.count() == 2 and json.dumps(events.last().before)
