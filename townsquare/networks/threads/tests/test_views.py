"""The Threads connect page and its callback through the real pages, against the fake of the
Threads API with captured answers (fake_threads.py, each fixture naming Meta's page or
sample it was taken from): the page with and without the installation's Threads app, in
English and German, the start of the sign-in, connecting a profile that then publishes
automatically, reconnecting one added by hand (its row and its long-lived token kept), a
declined authorisation, someone else's sign-in, another workspace, and the accounts and
health pages."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from townsquare.networks.account_health import connection_facts
from townsquare.networks.base import MediaRef, Rejected, VariantToPublish
from townsquare.networks.credentials import credentials_for, store_credentials
from townsquare.networks.health import connection_health
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import _instances, forget_publishers, get_publisher
from townsquare.networks.threads import payloads
from townsquare.networks.threads.tests.fake_threads import (
    USER,
    FakeThreads,
    V,
    answer,
    creds,
    values_of,
)

pytestmark = pytest.mark.django_db

CALLBACK = "/connect/threads/callback/"
SESSION_KEY = "threads_oauth_pending"


@pytest.fixture
def threads_app(settings):
    settings.THREADS_APP_ID = "990602627938098"
    settings.THREADS_APP_SECRET = "app-secret"


@pytest.fixture
def th(threads_app):
    fake = FakeThreads(
        {
            "POST /oauth/access_token": answer("oauth_access_token__ok_200.json"),
            "GET /access_token": answer("long_lived_token__ok_200.json"),
            f"GET {V}/me": answer("me__ok_200.json"),
        }
    )
    forget_publishers()
    _instances["threads"] = fake.connector()  # the registry's publisher, on the fake
    yield fake
    forget_publishers()
    assert fake.invalid == []


def connect_page(workspace) -> str:
    return reverse("workspace_connect_threads", args=[workspace.slug])


def accounts_url(workspace) -> str:
    return reverse("workspace_accounts", args=[workspace.slug])


def start(client, workspace, **form) -> dict[str, list[str]]:
    response = client.post(connect_page(workspace), {"language": "de", **form})
    assert response.status_code == 302, response.content[:500]
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == payloads.AUTHORIZE_URL
    return parse_qs(target.query)


def callback(client, **params):
    response = client.get(CALLBACK, params)
    assert response.status_code == 302
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def test_the_page_starts_the_threads_sign_in_with_a_state(alice_client, workspace_a, threads_app):
    page = alice_client.get(connect_page(workspace_a)).content.decode()
    assert "Continue to Threads" in page and "Website permissions" in page
    query = start(alice_client, workspace_a)
    assert query["redirect_uri"] == ["http://testserver/connect/threads/callback/"]
    assert query["client_id"] == ["990602627938098"] and query["response_type"] == ["code"]
    assert query["scope"] == [",".join(payloads.SCOPES)] and "code_challenge" not in query
    (pending,) = alice_client.session[SESSION_KEY]
    assert pending["state"] == query["state"][0] and pending["workspace"] == workspace_a.slug
    assert pending["extra"] == {"language": "de"}


def test_without_a_threads_app_the_page_says_what_the_operator_must_configure(
    alice_client, workspace_a, settings
):
    settings.THREADS_APP_ID = ""
    settings.THREADS_APP_SECRET = ""
    page = alice_client.get(connect_page(workspace_a))
    text = page.content.decode()
    assert page.status_code == 200
    assert "THREADS_APP_ID" in text and "THREADS_APP_SECRET" in text
    assert "http://testserver/connect/threads/callback/" in text
    assert "docs/networks/threads.md" in text and "threads_content_publish" in text
    assert "Continue to Threads" not in text
    assert accounts_url(workspace_a) in text  # no dead end
    refused = alice_client.post(connect_page(workspace_a), {"language": "de"})
    assert refused.status_code == 400 and "THREADS_APP_ID" in refused.content.decode()
    assert not alice_client.session.get(SESSION_KEY)


def test_connecting_a_profile_makes_it_publish_automatically(alice_client, workspace_a, th):
    query = start(alice_client, workspace_a)
    # Meta appends "#_" to the redirect; a code copied with it still works.
    response, said = callback(alice_client, code="the-code#_", state=query["state"][0])
    assert response["Location"] == accounts_url(workspace_a)
    assert said == ["Threads townsquare_cafe is connected."]

    exchange = values_of(th.sent("POST /oauth/access_token")[0])
    assert exchange["code"] == "the-code" and exchange["client_secret"] == "app-secret"
    assert exchange["redirect_uri"] == "http://testserver/connect/threads/callback/"
    account = SocialAccount.objects.get(workspace=workspace_a, network="threads")
    assert account.handle == "townsquare_cafe" and account.language == "de"
    assert account.publishes_automatically
    creds = credentials_for(account)
    assert creds.access_token == "THQVJlonglived1" == creds.refresh_token
    assert creds.extra["user_id"] == USER
    assert account.token_expires_at - account.connected_at > timedelta(days=59)


def test_reconnecting_keeps_the_account_added_by_hand_and_renews_its_token(
    alice_client, workspace_a, th
):
    by_hand = SocialAccount.objects.create(
        workspace=workspace_a, network="threads", handle="townsquare_cafe"
    )
    assert not by_hand.publishes_automatically  # by reminder until connected
    page = alice_client.get(accounts_url(workspace_a)).content.decode()
    assert connect_page(workspace_a) in page

    callback(alice_client, code="c", state=start(alice_client, workspace_a)["state"][0])
    store_credentials(
        SocialAccount.objects.get(pk=by_hand.pk),
        {"access_token": "old", "refresh_token": "old", "extra": {"user_id": USER}},
    )
    th.routes["GET /access_token"] = answer(
        "long_lived_token__ok_200.json",
        body={"access_token": "THQVJlonglived2", "token_type": "bearer", "expires_in": 5183944},
    )
    callback(alice_client, code="c", state=start(alice_client, workspace_a)["state"][0])

    (account,) = SocialAccount.objects.filter(workspace=workspace_a, network="threads")
    assert account.pk == by_hand.pk and account.publishes_automatically
    creds = credentials_for(account)
    assert creds.access_token == "THQVJlonglived2" == creds.refresh_token


def test_a_declined_authorisation_is_said_on_the_accounts_page(alice_client, workspace_a, th):
    query = start(alice_client, workspace_a)
    response, said = callback(
        alice_client,
        error="access_denied",
        error_reason="user_denied",
        error_description="Permissions error",
        state=query["state"][0],
    )
    assert response["Location"] == accounts_url(workspace_a)
    assert said == ["The Threads account was not connected: the authorisation was declined."]
    assert not SocialAccount.objects.exists() and th.requests == []


def test_someone_else_s_sign_in_connects_nothing(client, alice, bob, workspace_a, th):
    client.force_login(alice)
    query = start(client, workspace_a)
    pending = client.session[SESSION_KEY]
    # Alice's sign-in in progress ends up in Bob's session (a shared browser, a copied cookie).
    client.force_login(bob)
    session = client.session
    session[SESSION_KEY] = pending
    session.save()
    response, said = callback(client, code="c", state=query["state"][0])
    assert response["Location"] == reverse("home")
    assert said == ["You can no longer connect accounts to this workspace."]
    assert not SocialAccount.objects.exists() and th.requests == []


def test_a_member_of_another_workspace_cannot_connect_into_this_one(
    client, carol, alice, workspace_a, workspace_b, th
):
    client.force_login(carol)  # owner of workspace_b only
    assert client.get(connect_page(workspace_a)).status_code == 404
    assert client.post(connect_page(workspace_a), {"language": "de"}).status_code == 404
    assert not client.session.get(SESSION_KEY)
    # Her own sign-in, with the state of her workspace, connects into hers, never into A.
    callback(client, code="c", state=start(client, workspace_b)["state"][0])
    assert SocialAccount.objects.get(network="threads").workspace == workspace_b
    assert not SocialAccount.objects.filter(workspace=workspace_a).exists()


def test_an_editor_cannot_start_and_the_callback_takes_only_get(
    client, bob, workspace_a, threads_app
):
    client.force_login(bob)
    assert client.get(connect_page(workspace_a)).status_code == 403
    assert client.post(connect_page(workspace_a)).status_code == 403
    assert client.post(CALLBACK, {"code": "c", "state": "s"}).status_code == 405


def test_an_unknown_state_connects_nothing(alice_client, th):
    response, said = callback(alice_client, code="c", state="forged")
    assert response["Location"] == reverse("home")
    assert said == ["This sign-in with Threads is unknown or was already used. Please start again."]


def test_the_health_page_counts_down_the_60_days_of_the_token(alice_client, workspace_a, th):
    callback(alice_client, code="c", state=start(alice_client, workspace_a)["state"][0])
    account = SocialAccount.objects.get(network="threads")
    now = timezone.now()
    health = connection_health(connection_facts(account), now)
    assert health.level == "ok" and health.expires_at == account.token_expires_at
    assert timedelta(days=59) < health.expires_in <= timedelta(days=60)
    # Unrenewed for 54 days (no call renewed it): the warning before it lapses for good.
    soon = connection_health(connection_facts(account), now + timedelta(days=54))
    assert soon.code == "expires_soon"
    page = alice_client.get(accounts_url(workspace_a)).content.decode()
    assert "access expires" in page


def test_the_pages_speak_german_with_and_without_a_threads_app(
    client, alice, workspace_a, settings, threads_app
):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    page = client.get(connect_page(workspace_a)).content.decode()
    assert "Weiter zu Threads" in page and "Website-Berechtigungen" in page
    settings.THREADS_APP_ID = ""
    page = client.get(connect_page(workspace_a)).content.decode()
    assert "Umgebungsvariablen <code>THREADS_APP_ID</code>" in page
    assert "Weiter zu Threads" not in page and "docs/networks/threads.md" in page
    accounts = client.get(accounts_url(workspace_a)).content.decode()
    assert "Threads verbinden" in accounts


def test_the_registry_s_publisher_sends_media_through_the_signed_public_addresses(settings):
    forget_publishers()
    variant = VariantToPublish(
        variant_id=1,
        account_id=1,
        network="threads",
        parts=("Hallo",),
        media=(
            MediaRef(
                storage_key="media/a.jpg", kind="image", mime_type="image/jpeg", size_bytes=10
            ),
        ),
    )
    try:
        settings.SITE_URL = "http://localhost:8000"
        with pytest.raises(Rejected) as not_public:
            get_publisher("threads").publish(creds(), variant, "k")
        assert not_public.value.code == "site_url_not_public"
        # A public SITE_URL: the address is signed for the library's file, which is gone here.
        settings.SITE_URL = "https://social.alpha-kaffee.de"
        with pytest.raises(Rejected) as missing:
            get_publisher("threads").publish(creds(), variant, "k")
        assert missing.value.code == "media_missing"
    finally:
        forget_publishers()
