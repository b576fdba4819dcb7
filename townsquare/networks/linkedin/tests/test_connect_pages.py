"""Connecting LinkedIn through the real pages against the fake of LinkedIn with captured
answers: pages and a profile connected and publishing automatically, reconnecting an account
added by hand (its row, its scheduled post and its refresh token kept), a permission LinkedIn
did not grant said with the product to request, and the accounts page before and after."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.credentials import credentials_for
from townsquare.networks.linkedin.tests.fake_linkedin import PAGE, FakeLinkedIn, answer, captured
from townsquare.networks.models import SocialAccount
from townsquare.networks.registry import _instances, forget_publishers
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db

CALLBACK = "/connect/linkedin/callback/"
TOKEN = captured("oauth_token__ok_200.json")["body"]
PROFILE_TOKEN = {
    "access_token": "at-member",
    "expires_in": 5184000,
    "scope": "openid,profile,w_member_social",
}


@pytest.fixture
def li(settings):
    settings.LINKEDIN_CLIENT_ID = "86bfq2dgqv3b3k"
    settings.LINKEDIN_CLIENT_SECRET = "app-secret"
    fake = FakeLinkedIn(
        {
            "POST /oauth/v2/accessToken": answer("oauth_token__ok_200.json"),
            "GET /rest/organizationAcls": answer("organization_acls__ok_200.json"),
            "GET /rest/organizations/2414183": answer("organizations__ok_200.json"),
            "GET /rest/organizations/5509810": answer(
                "organizations__ok_200.json",
                body={"id": 5509810, "vanityName": "alpha-kaffee", "localizedName": "Alpha Kaffee"},
            ),
            "GET /v2/userinfo": answer("userinfo__ok_200.json"),
        }
    )
    forget_publishers()
    _instances["linkedin_page"] = fake.connector()
    _instances["linkedin_profile"] = fake.profile_connector()
    yield fake
    forget_publishers()
    assert fake.invalid == []


def connect_page(workspace) -> str:
    return reverse("workspace_connect_linkedin", args=[workspace.slug])


def accounts_url(workspace) -> str:
    return reverse("workspace_accounts", args=[workspace.slug])


def connect(client, workspace, **form):
    response = client.post(connect_page(workspace), {"kind": "page", "language": "de", **form})
    assert response.status_code == 302, response.content[:500]
    query = parse_qs(urlsplit(response["Location"]).query)
    done = client.get(CALLBACK, {"code": "the-code", "state": query["state"][0]})
    assert done.status_code == 302
    return done, [str(m) for m in get_messages(done.wsgi_request)]


def test_connecting_pages_through_the_pages_makes_them_publish_automatically(
    alice_client, workspace_a, li
):
    response, said = connect(alice_client, workspace_a)
    assert response["Location"] == accounts_url(workspace_a)
    assert said == ["LinkedIn (page) linkedin, LinkedIn (page) alpha-kaffee are connected."]
    pages = SocialAccount.objects.filter(network="linkedin_page").order_by("pk")
    assert [p.handle for p in pages] == ["linkedin", "alpha-kaffee"]
    assert all(p.publishes_automatically and p.language == "de" for p in pages)
    assert credentials_for(pages[0]).extra["author_urn"] == PAGE
    # The code went back with the same redirect URL the sign-in started with.
    sent = parse_qs(li.sent("POST /oauth/v2/accessToken")[0].content.decode())
    assert sent["redirect_uri"] == ["http://testserver/connect/linkedin/callback/"]
    page = alice_client.get(accounts_url(workspace_a)).content.decode()
    assert "Never connected" not in page and "Alpha Kaffee" in page


def test_a_profile_is_connected_as_the_member_who_signed_in(alice_client, workspace_a, li):
    li.routes["POST /oauth/v2/accessToken"] = answer(
        "oauth_token__no_refresh_200.json", body=PROFILE_TOKEN
    )
    _, said = connect(alice_client, workspace_a, kind="profile")
    assert said == ["LinkedIn (profile) John Doe is connected."]
    member = SocialAccount.objects.get(network="linkedin_profile")
    assert member.publishes_automatically
    assert credentials_for(member).extra["author_urn"] == "urn:li:person:782bbtaQ"


def test_reconnecting_keeps_the_account_its_history_and_its_refresh_token(
    alice_client, membership, workspace_a, li
):
    # Added by hand and posted by reminder so far, with a post waiting for its time.
    by_hand = SocialAccount.objects.create(
        workspace=workspace_a, network="linkedin_page", handle="linkedin"
    )
    post = do_save_post(membership, PostInput(text="Frisch geröstet.", language="de"), [by_hand.pk])
    do_schedule_post(membership, post, (timezone.now() + timedelta(days=2)).replace(tzinfo=None))
    assert not by_hand.publishes_automatically
    rows = alice_client.get(accounts_url(workspace_a)).content.decode()
    assert "Never connected" in rows and connect_page(workspace_a) in rows

    connect(alice_client, workspace_a, page_number="2414183")
    account = SocialAccount.objects.get(network="linkedin_page")
    assert account.pk == by_hand.pk and account.publishes_automatically
    assert Publication.objects.get().account_id == by_hand.pk
    assert credentials_for(account).refresh_token == TOKEN["refresh_token"]

    # A second sign-in brings no refresh token: the one stored stays.
    li.routes["POST /oauth/v2/accessToken"] = answer(
        "oauth_token__no_refresh_200.json",
        body={**TOKEN, "access_token": "at-2"} | {"refresh_token": ""},
    )
    connect(alice_client, workspace_a, page_number="2414183")
    again = SocialAccount.objects.get(network="linkedin_page")
    creds = credentials_for(again)
    assert again.pk == by_hand.pk and creds.access_token == "at-2"
    assert creds.refresh_token == TOKEN["refresh_token"]
    assert Publication.objects.get().account_id == by_hand.pk


@pytest.mark.parametrize(
    ("kind", "granted", "product"),
    [
        ("page", "r_organization_social", "Community Management API"),
        ("profile", "openid,profile", "Share on LinkedIn"),
    ],
)
def test_a_permission_not_granted_is_said_with_the_product_to_request(
    alice_client, workspace_a, li, kind, granted, product
):
    li.routes["POST /oauth/v2/accessToken"] = answer(
        "oauth_token__ok_200.json", body={**TOKEN, "scope": granted}
    )
    response, said = connect(alice_client, workspace_a, kind=kind)
    assert response["Location"] == accounts_url(workspace_a)
    (message,) = said
    assert message.startswith("LinkedIn did not grant every permission Townsquare needs")
    missing = "w_organization_social" if kind == "page" else "w_member_social"
    assert missing in message and product in message
    assert not SocialAccount.objects.exists()


def test_a_never_connected_profile_links_the_connect_page_for_profiles(
    alice_client, workspace_a, settings
):
    settings.LINKEDIN_CLIENT_ID = ""  # the accounts page's words do not depend on the app
    SocialAccount.objects.create(workspace=workspace_a, network="linkedin_profile", handle="jd")
    page = alice_client.get(accounts_url(workspace_a)).content.decode()
    assert "Never connected: posted by reminder until you connect it" in page
    assert connect_page(workspace_a) + "?kind=profile" in page
