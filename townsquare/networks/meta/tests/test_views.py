"""The Facebook/Instagram connect page and its callback through the real pages, against the
fake Graph API (httpx's MockTransport) with Meta's captured answers: the page with and
without the installation's Meta app, in English and German; Pages and Instagram accounts
connected and publishing automatically; a declined dialog, a permission not granted (named,
with App Review), a forged state, the callback reached by another person or by a member of
another workspace; reconnecting an account added by hand keeps its row and gets new tokens;
and the accounts page's Connect link."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from townsquare.networks.credentials import credentials_for
from townsquare.networks.meta import payloads
from townsquare.networks.meta.tests.fake_meta import IG, PAGE, answer, connect_flow
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import _instances, forget_publishers

pytestmark = pytest.mark.django_db

CALLBACK = "/connect/meta/callback/"
SESSION_KEY = "meta_oauth_pending"
APP_ID = "1234567890123"


@pytest.fixture
def meta_app(settings):
    settings.META_APP_ID = APP_ID
    settings.META_APP_SECRET = "app-secret"
    settings.META_GRAPH_API_VERSION = ""


@pytest.fixture
def meta(meta_app):
    fake = connect_flow(3)
    forget_publishers()
    _instances["facebook_page"] = fake.page()
    _instances["instagram"] = fake.instagram()
    yield fake
    forget_publishers()
    assert fake.invalid == []


def connect_page(workspace) -> str:
    return reverse("workspace_connect_meta", args=[workspace.slug])


def accounts_url(workspace) -> str:
    return reverse("workspace_accounts", args=[workspace.slug])


def start(client, workspace, **form) -> dict[str, list[str]]:
    response = client.post(
        connect_page(workspace), {"kind": "facebook_page", "language": "de", **form}
    )
    assert response.status_code == 302, response.content[:500]
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == payloads.authorize_url(
        payloads.API_VERSION
    )
    return parse_qs(target.query)


def callback(client, **params):
    response = client.get(CALLBACK, params)
    assert response.status_code == 302
    return response, [str(m) for m in get_messages(response.wsgi_request)]


# --- the page --------------------------------------------------------------------------------


def test_the_page_starts_facebook_login_for_pages(alice_client, workspace_a, meta_app):
    page = alice_client.get(connect_page(workspace_a)).content.decode()
    assert "Continue to Facebook" in page and "Facebook Pages I manage" in page
    query = start(alice_client, workspace_a)
    assert query["redirect_uri"] == ["http://testserver/connect/meta/callback/"]
    assert query["client_id"] == [APP_ID] and "code_challenge" not in query
    assert set(query["scope"][0].replace(",", " ").split()) == set(payloads.PAGE_SCOPES)
    (pending,) = alice_client.session[SESSION_KEY]
    assert pending["extra"] == {"network": "facebook_page", "language": "de"}


def test_instagram_and_a_chosen_page_are_remembered(alice_client, workspace_a, meta_app):
    query = start(alice_client, workspace_a, kind="instagram", page_id=PAGE)
    assert set(query["scope"][0].replace(",", " ").split()) == set(payloads.INSTAGRAM_SCOPES)
    extra = alice_client.session[SESSION_KEY][-1]["extra"]
    assert extra["network"] == "instagram" and extra["page"] == PAGE


def test_a_page_id_that_is_not_one_is_said_on_the_page(alice_client, workspace_a, meta_app):
    refused = alice_client.post(
        connect_page(workspace_a), {"kind": "facebook_page", "page_id": "x"}
    )
    assert refused.status_code == 400
    assert "This is not the ID of a Facebook Page." in refused.content.decode()
    assert not alice_client.session.get(SESSION_KEY)


def test_reconnecting_instagram_preselects_instagram(alice_client, workspace_a, meta_app):
    page = alice_client.get(connect_page(workspace_a) + "?kind=instagram").content.decode()
    assert re.search(r'<input[^>]*value="instagram"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="facebook_page"[^>]*checked', page)


def test_without_a_meta_app_the_page_says_what_the_operator_must_configure(
    alice_client, workspace_a, settings
):
    settings.META_APP_ID = ""
    settings.META_APP_SECRET = ""
    page = alice_client.get(connect_page(workspace_a))
    text = page.content.decode()
    assert page.status_code == 200
    assert "META_APP_ID" in text and "META_APP_SECRET" in text
    assert "http://testserver/connect/meta/callback/" in text
    assert "http://testserver/webhooks/meta/" in text and "META_WEBHOOK_VERIFY_TOKEN" in text
    for permission in set(payloads.PAGE_SCOPES) | set(payloads.INSTAGRAM_SCOPES):
        assert permission in text, permission
    assert "App Review" in text and "docs/networks/facebook_page.md" in text
    assert "Continue to Facebook" not in text
    assert accounts_url(workspace_a) in text  # no dead end
    refused = alice_client.post(connect_page(workspace_a), {"kind": "facebook_page"})
    assert refused.status_code == 400 and "META_APP_ID" in refused.content.decode()
    assert not alice_client.session.get(SESSION_KEY)


def test_an_app_id_without_its_secret_is_not_configured(alice_client, workspace_a, settings):
    settings.META_APP_ID = APP_ID
    settings.META_APP_SECRET = ""
    text = alice_client.get(connect_page(workspace_a)).content.decode()
    assert "Continue to Facebook" not in text and "META_APP_SECRET" in text


def test_a_member_without_the_permission_cannot_start(client, bob, workspace_a, meta_app):
    client.force_login(bob)  # an editor
    assert client.get(connect_page(workspace_a)).status_code == 403
    assert client.post(connect_page(workspace_a)).status_code == 403


def test_another_workspace_is_not_found(alice_client, workspace_b, meta_app):
    assert alice_client.get(connect_page(workspace_b)).status_code == 404
    assert alice_client.post(connect_page(workspace_b), {"kind": "instagram"}).status_code == 404


# --- the callback ----------------------------------------------------------------------------


def test_connecting_pages_makes_them_publish_automatically(alice_client, workspace_a, meta):
    query = start(alice_client, workspace_a)
    response, said = callback(alice_client, code="the-code", state=query["state"][0])
    assert response["Location"] == accounts_url(workspace_a)
    assert len(said) == 1 and said[0].endswith("are connected.")
    accounts = SocialAccount.objects.filter(workspace=workspace_a).order_by("pk")
    assert [a.network for a in accounts] == ["facebook_page", "facebook_page"]
    first = accounts[0]
    assert first.publishes_automatically and first.token_expires_at is None
    assert credentials_for(first).extra["page_id"] == PAGE
    assert credentials_for(first).access_token == "EAApage1"
    exchange = meta.sent("GET /oauth/access_token")[0]
    assert exchange.url.params["redirect_uri"] == "http://testserver/connect/meta/callback/"
    page = alice_client.get(accounts_url(workspace_a)).content.decode()
    assert "Townsquare Coffee" in page


def test_connecting_instagram_connects_the_account_linked_to_the_page(
    alice_client, workspace_a, meta
):
    query = start(alice_client, workspace_a, kind="instagram")
    response, _said = callback(alice_client, code="c", state=query["state"][0])
    assert response["Location"] == accounts_url(workspace_a)
    (account,) = SocialAccount.objects.filter(workspace=workspace_a)
    assert account.network == "instagram" and account.handle == "townsquare.coffee"
    assert credentials_for(account).extra == {"page_id": PAGE, "ig_user_id": IG}
    assert account.publishes_automatically


def test_a_declined_dialog_is_said_on_the_accounts_page(alice_client, workspace_a, meta):
    query = start(alice_client, workspace_a)
    response, said = callback(
        alice_client,
        error="access_denied",
        error_reason="user_denied",
        error_description="Permissions error",
        state=query["state"][0],
    )
    assert response["Location"] == accounts_url(workspace_a)
    assert len(said) == 1 and "declined" in said[0]
    assert not SocialAccount.objects.exists()
    assert not meta.requests


def test_a_permission_not_granted_is_named_with_app_review(alice_client, workspace_a, meta):
    meta.routes["GET /me/permissions"] = answer("permissions__declined_200.json")
    query = start(alice_client, workspace_a)
    response, said = callback(alice_client, code="c", state=query["state"][0])
    assert response["Location"] == accounts_url(workspace_a)
    assert len(said) == 1
    assert "pages_manage_posts" in said[0] and "App Review" in said[0]
    assert not SocialAccount.objects.exists()


def test_a_code_meta_refuses_connects_nothing(alice_client, workspace_a, meta):
    meta.routes["GET /oauth/access_token"] = answer("oauth_code__invalid_400.json")
    query = start(alice_client, workspace_a)
    response, said = callback(alice_client, code="stale", state=query["state"][0])
    assert response["Location"] == accounts_url(workspace_a)
    assert len(said) == 1 and "Meta" in said[0]
    assert not SocialAccount.objects.exists()


def test_an_unknown_state_connects_nothing(alice_client, meta):
    response, said = callback(alice_client, code="c", state="forged")
    assert response["Location"] == reverse("home")
    assert len(said) == 1 and "start again" in said[0]
    assert not meta.requests


def test_the_callback_of_another_person_connects_nothing(
    alice_client, client, carol, workspace_a, meta
):
    query = start(alice_client, workspace_a)
    client.force_login(carol)  # carol has no sign-in of her own in her session
    _response, said = callback(client, code="c", state=query["state"][0])
    assert len(said) == 1 and not SocialAccount.objects.exists()
    assert not meta.requests


def test_a_member_who_lost_the_right_meanwhile_connects_nothing(
    alice_client, alice, workspace_a, workspace_b, meta
):
    from townsquare.workspaces.models import Membership

    # alice starts in workspace A, then is only an editor there (and an owner of B): the
    # callback connects nothing, in A or in B.
    query = start(alice_client, workspace_a)
    Membership.objects.filter(workspace=workspace_a, user=alice).update(role="editor")
    Membership.objects.create(workspace=workspace_b, user=alice, role="owner")
    _response, said = callback(alice_client, code="c", state=query["state"][0])
    assert said == ["You can no longer connect accounts to this workspace."]
    assert not SocialAccount.objects.exists()
    assert not meta.requests


def test_the_callback_takes_only_get(alice_client):
    assert alice_client.post(CALLBACK, {"code": "c", "state": "s"}).status_code == 405


def test_the_callback_asks_a_signed_out_visitor_to_sign_in(client):
    response = client.get(CALLBACK, {"code": "c", "state": "s"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_reconnecting_keeps_the_account_added_by_hand_and_renews_its_token(
    alice_client, workspace_a, meta
):
    by_hand = SocialAccount.objects.create(
        workspace=workspace_a, network="facebook_page", handle="townsquarecoffee"
    )
    assert not by_hand.publishes_automatically  # posted by reminder until connected
    query = start(alice_client, workspace_a, page_id=PAGE)
    callback(alice_client, code="c", state=query["state"][0])
    (account,) = SocialAccount.objects.filter(workspace=workspace_a)
    assert account.pk == by_hand.pk and account.publishes_automatically
    assert credentials_for(account).access_token == "EAApage1"
    # Meta revoked it; connecting again keeps the row and stores the new Page token.
    account.needs_reconnect = True
    account.save(update_fields=["needs_reconnect"])
    renewed = answer("accounts__ok_200.json")
    meta.routes["GET /me/accounts"] = answer(
        "accounts__ok_200.json",
        body={"data": [{**_page_entry(renewed), "access_token": "EAApage1-renewed"}]},
    )
    query = start(alice_client, workspace_a, page_id=PAGE)
    callback(alice_client, code="c", state=query["state"][0])
    (again,) = SocialAccount.objects.filter(workspace=workspace_a)
    assert again.pk == by_hand.pk and not again.needs_reconnect
    assert credentials_for(again).access_token == "EAApage1-renewed"


def _page_entry(response) -> dict:
    return json.loads(response.content)["data"][0]


# --- the accounts page -----------------------------------------------------------------------


def test_the_accounts_page_links_the_connect_page(alice_client, workspace_a):
    page = alice_client.get(accounts_url(workspace_a)).content.decode()
    assert connect_page(workspace_a) in page
    assert "Connect Facebook or Instagram" in page


def test_a_never_connected_instagram_account_links_the_page_for_instagram(
    alice_client, workspace_a
):
    SocialAccount.objects.create(workspace=workspace_a, network="instagram", handle="kaffee")
    page = alice_client.get(accounts_url(workspace_a)).content.decode()
    assert connect_page(workspace_a) + "?kind=instagram" in page


def test_the_connect_page_speaks_german_with_and_without_a_meta_app(
    client, alice, workspace_a, settings, meta_app
):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    page = client.get(connect_page(workspace_a)).content.decode()
    assert "Weiter zu Facebook" in page and "Facebook-Seiten, die ich verwalte" in page
    assert "Seiten-ID (optional)" in page
    settings.META_APP_ID = ""
    page = client.get(connect_page(workspace_a)).content.decode()
    assert "Umgebungsvariablen <code>META_APP_ID</code>" in page
    assert "Weiter zu Facebook" not in page and "docs/networks/facebook_page.md" in page
    assert (
        "Facebook oder Instagram verbinden"
        in client.get(accounts_url(workspace_a)).content.decode()
    )


# --- webhooks: the Page subscribed to the app ------------------------------------------------


def _permissions_with_metadata():
    granted = json.loads(answer("permissions__ok_200.json").content)
    granted["data"].append({"permission": "pages_manage_metadata", "status": "granted"})
    return answer("permissions__ok_200.json", body=granted)


def test_with_webhooks_configured_each_page_is_subscribed_to_the_app(
    alice_client, workspace_a, meta, settings
):
    settings.META_WEBHOOK_VERIFY_TOKEN = "verify-me"
    meta.routes["GET /me/permissions"] = _permissions_with_metadata()
    meta.routes[f"POST /{PAGE}/subscribed_apps"] = answer("subscribed_apps__ok_200.json")
    meta.routes["POST /556677889900112/subscribed_apps"] = answer("subscribed_apps__ok_200.json")
    query = start(alice_client, workspace_a)
    assert "pages_manage_metadata" in query["scope"][0]
    callback(alice_client, code="c", state=query["state"][0])
    assert SocialAccount.objects.filter(workspace=workspace_a).count() == 2
    (sent,) = meta.sent(f"POST /{PAGE}/subscribed_apps")
    assert sent.headers["Authorization"] == "Bearer EAApage1"  # the Page's own token
    assert json.loads(sent.content) == {"subscribed_fields": "feed"}
    assert len(meta.sent("POST /556677889900112/subscribed_apps")) == 1


def test_an_instagram_account_subscribes_the_page_it_is_linked_to(
    alice_client, workspace_a, meta, settings
):
    settings.META_WEBHOOK_VERIFY_TOKEN = "verify-me"
    meta.routes["GET /me/permissions"] = _permissions_with_metadata()
    meta.routes[f"POST /{PAGE}/subscribed_apps"] = answer("subscribed_apps__ok_200.json")
    query = start(alice_client, workspace_a, kind="instagram")
    callback(alice_client, code="c", state=query["state"][0])
    assert SocialAccount.objects.get(workspace=workspace_a).network == "instagram"
    assert len(meta.sent(f"POST /{PAGE}/subscribed_apps")) == 1


def test_without_the_metadata_permission_pages_connect_and_are_polled(
    alice_client, workspace_a, meta, settings
):
    settings.META_WEBHOOK_VERIFY_TOKEN = "verify-me"
    query = start(alice_client, workspace_a)
    _response, said = callback(alice_client, code="c", state=query["state"][0])
    assert said[0].endswith("are connected.")
    assert SocialAccount.objects.filter(workspace=workspace_a).count() == 2
    assert not meta.sent(f"POST /{PAGE}/subscribed_apps")


def test_a_subscription_meta_refuses_does_not_undo_the_connection(
    alice_client, workspace_a, meta, settings
):
    settings.META_WEBHOOK_VERIFY_TOKEN = "verify-me"
    meta.routes["GET /me/permissions"] = _permissions_with_metadata()
    meta.routes[f"POST /{PAGE}/subscribed_apps"] = answer("error__permission_10_400.json")
    meta.routes["POST /556677889900112/subscribed_apps"] = answer("error__server_500.json")
    query = start(alice_client, workspace_a)
    _response, said = callback(alice_client, code="c", state=query["state"][0])
    assert said[0].endswith("are connected.")
    assert SocialAccount.objects.filter(workspace=workspace_a).count() == 2


def test_without_webhooks_configured_nothing_is_subscribed(alice_client, workspace_a, meta):
    query = start(alice_client, workspace_a)
    assert "pages_manage_metadata" not in query["scope"][0]
    callback(alice_client, code="c", state=query["state"][0])
    assert not meta.sent(f"POST /{PAGE}/subscribed_apps")
