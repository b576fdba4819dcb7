"""The LinkedIn connect page and its callback through the real pages: the page with and
without the installation's LinkedIn app, in English and German, the start of the sign-in
(a page, one chosen page, a profile), a declined authorisation, a forged state, who may
connect, and the accounts page's Connect link. Connecting through LinkedIn's answers is
test_connect_pages.py."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from townsquare.networks.linkedin import payloads
from townsquare.networks.models import SocialAccount

pytestmark = pytest.mark.django_db

CALLBACK = "/connect/linkedin/callback/"
SESSION_KEY = "linkedin_oauth_pending"


@pytest.fixture
def linkedin_app(settings):
    settings.LINKEDIN_CLIENT_ID = "86bfq2dgqv3b3k"
    settings.LINKEDIN_CLIENT_SECRET = "app-secret"


def connect_page(workspace) -> str:
    return reverse("workspace_connect_linkedin", args=[workspace.slug])


def start(client, workspace, **form) -> dict[str, list[str]]:
    response = client.post(connect_page(workspace), {"kind": "page", "language": "de", **form})
    assert response.status_code == 302, response.content[:500]
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == payloads.AUTHORIZE_URL
    return parse_qs(target.query)


def callback(client, **params):
    response = client.get(CALLBACK, params)
    assert response.status_code == 302
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def test_the_page_starts_linkedin_s_sign_in_for_pages(alice_client, workspace_a, linkedin_app):
    page = alice_client.get(connect_page(workspace_a)).content.decode()
    assert "Continue to LinkedIn" in page and "a LinkedIn page I administer" in page
    query = start(alice_client, workspace_a)
    assert query["redirect_uri"] == ["http://testserver/connect/linkedin/callback/"]
    assert query["client_id"] == ["86bfq2dgqv3b3k"] and "code_challenge" not in query
    assert query["scope"] == [" ".join(payloads.PAGE_SCOPES)]
    (pending,) = alice_client.session[SESSION_KEY]
    assert pending["extra"] == {"network": "linkedin_page", "language": "de"}


def test_a_page_number_and_a_profile_are_remembered(alice_client, workspace_a, linkedin_app):
    start(alice_client, workspace_a, page_number="2414183")
    assert alice_client.session[SESSION_KEY][-1]["extra"]["organization"] == "2414183"
    query = start(alice_client, workspace_a, kind="profile", page_number="2414183")
    assert query["scope"] == [" ".join(payloads.PROFILE_SCOPES)]
    extra = alice_client.session[SESSION_KEY][-1]["extra"]
    assert extra["network"] == "linkedin_profile" and "organization" not in extra


def test_a_page_number_that_is_not_one_is_said_on_the_page(alice_client, workspace_a, linkedin_app):
    refused = alice_client.post(connect_page(workspace_a), {"kind": "page", "page_number": "x1"})
    assert refused.status_code == 400
    assert "This is not the number of a LinkedIn page." in refused.content.decode()
    assert not alice_client.session.get(SESSION_KEY)


def test_reconnecting_a_profile_preselects_the_profile(alice_client, workspace_a, linkedin_app):
    page = alice_client.get(connect_page(workspace_a) + "?kind=profile").content.decode()
    assert re.search(r'<input[^>]*value="profile"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="page"[^>]*checked', page)


def test_without_a_linkedin_app_the_page_says_what_the_operator_must_configure(
    alice_client, workspace_a, settings
):
    settings.LINKEDIN_CLIENT_ID = ""
    settings.LINKEDIN_CLIENT_SECRET = ""
    page = alice_client.get(connect_page(workspace_a))
    text = page.content.decode()
    assert page.status_code == 200
    assert "LINKEDIN_CLIENT_ID" in text and "LINKEDIN_CLIENT_SECRET" in text
    assert "http://testserver/connect/linkedin/callback/" in text
    assert "docs/networks/linkedin_page.md" in text and "Community Management API" in text
    assert "Continue to LinkedIn" not in text
    assert reverse("workspace_accounts", args=[workspace_a.slug]) in text  # no dead end
    refused = alice_client.post(connect_page(workspace_a), {"kind": "page"})
    assert refused.status_code == 400 and "LINKEDIN_CLIENT_ID" in refused.content.decode()
    assert not alice_client.session.get(SESSION_KEY)


def test_a_callback_after_the_app_was_removed_says_so_on_the_accounts_page(
    alice_client, workspace_a, settings, linkedin_app
):
    query = start(alice_client, workspace_a)
    settings.LINKEDIN_CLIENT_ID = ""
    response, said = callback(alice_client, code="c", state=query["state"][0])
    assert response["Location"] == reverse("workspace_accounts", args=[workspace_a.slug])
    assert said == [
        "This installation has no LinkedIn app configured; an administrator has to add it."
    ]
    assert not SocialAccount.objects.exists()


def test_a_declined_authorisation_is_said_on_the_accounts_page(
    alice_client, workspace_a, linkedin_app
):
    query = start(alice_client, workspace_a)
    response, said = callback(
        alice_client,
        error="user_cancelled_authorize",
        error_description="The user cancelled the authorization",
        state=query["state"][0],
    )
    assert response["Location"] == reverse("workspace_accounts", args=[workspace_a.slug])
    assert said == ["The LinkedIn account was not connected: the authorisation was declined."]
    assert not SocialAccount.objects.exists()


def test_an_unknown_state_connects_nothing(alice_client, linkedin_app):
    response, said = callback(alice_client, code="c", state="forged")
    assert response["Location"] == reverse("home")
    assert said == [
        "This sign-in with LinkedIn is unknown or was already used. Please start again."
    ]


def test_a_member_without_the_permission_cannot_start(client, bob, workspace_a, linkedin_app):
    client.force_login(bob)  # an editor
    assert client.get(connect_page(workspace_a)).status_code == 403
    assert client.post(connect_page(workspace_a)).status_code == 403


def test_another_workspace_is_not_found(alice_client, workspace_b, linkedin_app):
    assert alice_client.get(connect_page(workspace_b)).status_code == 404


def test_the_callback_takes_only_get(alice_client):
    assert alice_client.post(CALLBACK, {"code": "c", "state": "s"}).status_code == 405


def test_the_callback_asks_a_signed_out_visitor_to_sign_in(client):
    response = client.get(CALLBACK, {"code": "c", "state": "s"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_accounts_page_links_the_connect_page(alice_client, workspace_a):
    page = alice_client.get(reverse("workspace_accounts", args=[workspace_a.slug]))
    assert connect_page(workspace_a) in page.content.decode()
    assert "Connect LinkedIn" in page.content.decode()


def test_the_connect_page_speaks_german_with_and_without_a_linkedin_app(
    client, alice, workspace_a, settings, linkedin_app
):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    page = client.get(connect_page(workspace_a)).content.decode()
    assert "Weiter zu LinkedIn" in page and "eine LinkedIn-Seite, die ich verwalte" in page
    assert "Zugelassene Dienste" in page and "Nummer der Seite (optional)" in page
    settings.LINKEDIN_CLIENT_ID = ""
    page = client.get(connect_page(workspace_a)).content.decode()
    assert "Umgebungsvariablen <code>LINKEDIN_CLIENT_ID</code>" in page
    assert "Callback-Adresse" in page and "Weiter zu LinkedIn" not in page
    assert "docs/networks/linkedin_page.md" in page
    assert (
        "LinkedIn verbinden"
        in client.get(reverse("workspace_accounts", args=[workspace_a.slug])).content.decode()
    )
