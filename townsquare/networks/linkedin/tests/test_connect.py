"""Connecting LinkedIn pages and profiles through the actions (no page offers it yet): the
sign-in's state (no PKCE: LinkedIn's web apps use the client secret), the token exchange,
the administered pages and their names against the fake of LinkedIn with captured
answers, what is stored, every refusal, and renewing a token where LinkedIn gave a
refresh token."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied

from townsquare.audit.models import AuditEvent
from townsquare.networks.base import VariantToPublish
from townsquare.networks.connecting import ConnectRefused
from townsquare.networks.credentials import credentials_for, store_credentials
from townsquare.networks.linkedin import payloads
from townsquare.networks.linkedin.actions import (
    SESSION_KEY,
    do_finish_linkedin_connect,
    do_start_linkedin_connect,
)
from townsquare.networks.linkedin.tests.fake_linkedin import (
    NOW,
    PAGE,
    FakeLinkedIn,
    answer,
    captured,
)
from townsquare.networks.models import SocialAccount
from townsquare.networks.oauth2.tokens import OAuthApp
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

CALLBACK = "https://townsquare.example/connect/linkedin/callback/"


def app(scopes=payloads.PAGE_SCOPES) -> OAuthApp:
    return OAuthApp(
        authorize_url=payloads.AUTHORIZE_URL,
        token_url=payloads.TOKEN_URL,
        client_id="86bfq2dgqv3b3k",
        client_secret="app-secret",
        redirect_uri=CALLBACK,
        scopes=scopes,
        client_auth="form",
    )


TOKEN = captured("oauth_token__ok_200.json")["body"]


@pytest.fixture
def li():
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
    yield fake
    assert fake.invalid == []


def start(membership, session, **kwargs) -> dict[str, list[str]]:
    network = kwargs.get("network", "linkedin_page")
    scopes = payloads.PAGE_SCOPES if network == "linkedin_page" else payloads.PROFILE_SCOPES
    url = do_start_linkedin_connect(
        membership, session, redirect_uri=CALLBACK, language="de", app=app(scopes), **kwargs
    )
    target = urlsplit(url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == payloads.AUTHORIZE_URL
    return parse_qs(target.query)


def finish(user, session, li, network="linkedin_page", **params):
    scopes = payloads.PAGE_SCOPES if network == "linkedin_page" else payloads.PROFILE_SCOPES
    connector = li.connector() if network == "linkedin_page" else li.profile_connector()
    return do_finish_linkedin_connect(
        user, session, params, redirect_uri=CALLBACK, connector=connector, app=app(scopes)
    )


def test_connecting_adds_every_page_the_member_administers(alice, membership, li):
    session: dict = {}
    query = start(membership, session)
    assert query["scope"] == ["r_organization_social w_organization_social rw_organization_admin"]
    assert "code_challenge" not in query and query["redirect_uri"] == [CALLBACK]
    accounts = finish(alice, session, li, code="the-code", state=query["state"][0])

    form = parse_qs(li.sent("POST /oauth/v2/accessToken")[0].content.decode())
    assert form["grant_type"] == ["authorization_code"] and form["code"] == ["the-code"]
    assert form["client_id"] == ["86bfq2dgqv3b3k"] and form["client_secret"] == ["app-secret"]
    assert "code_verifier" not in form
    assert [a.handle for a in accounts] == ["linkedin", "alpha-kaffee"]
    page = accounts[0]
    assert page.display_name == "LinkedIn" and page.language == "de" and not page.needs_reconnect
    creds = credentials_for(page)
    assert creds.access_token == TOKEN["access_token"] and creds.extra["author_urn"] == PAGE
    assert creds.refresh_token == TOKEN["refresh_token"] and "refresh_expires_at" in creds.extra
    assert page.token_expires_at is not None
    assert page.token_expires_at - page.connected_at > timedelta(days=59)
    assert AuditEvent.objects.filter(action="account.connect").count() == 2
    assert session[SESSION_KEY] == []


def test_a_chosen_page_is_the_only_one_connected(alice, membership, li):
    session: dict = {}
    query = start(membership, session, organization_id="5509810")
    accounts = finish(alice, session, li, code="c", state=query["state"][0])
    assert [a.handle for a in accounts] == ["alpha-kaffee"]


def test_a_page_the_member_does_not_administer_is_refused(alice, membership, li):
    session: dict = {}
    query = start(membership, session, organization_id="42")
    with pytest.raises(ConnectRefused) as refused:
        finish(alice, session, li, code="c", state=query["state"][0])
    assert refused.value.code == "no_pages" and not SocialAccount.objects.exists()


def test_without_a_refresh_token_the_countdown_is_the_access_token_s(alice, membership, li):
    li.routes["POST /oauth/v2/accessToken"] = answer("oauth_token__no_refresh_200.json")
    session: dict = {}
    query = start(membership, session, organization_id="2414183")
    (page,) = finish(alice, session, li, code="c", state=query["state"][0])
    creds = credentials_for(page)
    assert creds.refresh_token == "" and "refresh_expires_at" not in creds.extra
    assert page.token_expires_at is not None


def test_reconnecting_keeps_the_account_and_an_account_posted_by_hand_is_adopted(
    alice, membership, workspace_a, li
):
    by_hand = SocialAccount.objects.create(
        workspace=workspace_a, network="linkedin_page", handle="LinkedIn"
    )
    session: dict = {}
    query = start(membership, session, organization_id="2414183")
    (first,) = finish(alice, session, li, code="c", state=query["state"][0])
    assert first.pk == by_hand.pk
    li.routes["GET /rest/organizations/2414183"] = answer(
        "organizations__ok_200.json", body={"vanityName": "linkedin-neu", "localizedName": "LI"}
    )
    li.routes["POST /oauth/v2/accessToken"] = answer("oauth_token__no_refresh_200.json")
    query = start(membership, session, organization_id="2414183")
    (again,) = finish(alice, session, li, code="c", state=query["state"][0])
    assert again.pk == first.pk and again.handle == "linkedin-neu"
    # The refresh token of the first sign-in survives a sign-in that brought none.
    assert credentials_for(again).refresh_token == TOKEN["refresh_token"]


def test_a_scope_not_granted_names_the_product_and_stores_nothing(alice, membership, li):
    li.routes["POST /oauth/v2/accessToken"] = answer(
        "oauth_token__ok_200.json", body={**TOKEN, "scope": "r_organization_social"}
    )
    session: dict = {}
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as refused:
        finish(alice, session, li, code="c", state=query["state"][0])
    assert refused.value.code == "scope_missing"
    assert "w_organization_social" in refused.value.message
    assert "Community Management API" in refused.value.message
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize(
    ("route", "fixture", "code"),
    [
        ("POST /oauth/v2/accessToken", "oauth_token__invalid_request_400.json", "token_refused"),
        ("GET /rest/organizationAcls", "posts_create__forbidden_403.json", "token_refused"),
        ("GET /rest/organizationAcls", "posts_create__server_error_500.json", "unreachable"),
    ],
)
def test_refusals_and_failures_of_linkedin_are_said_plainly(
    alice, membership, li, route, fixture, code
):
    li.routes[route] = answer(fixture)
    session: dict = {}
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as refused:
        finish(alice, session, li, code="c", state=query["state"][0])
    assert refused.value.code == code and not SocialAccount.objects.exists()


def test_a_declined_authorisation_a_used_state_and_another_user_are_refused(
    alice, bob, membership, li
):
    session: dict = {}
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as declined:
        finish(alice, session, li, error="user_cancelled_login", state=query["state"][0])
    assert declined.value.code == "access_denied"
    with pytest.raises(ConnectRefused) as used:
        finish(alice, session, li, code="c", state=query["state"][0])
    assert used.value.code == "state_unknown"
    query = start(membership, session)
    with pytest.raises(ConnectRefused) as stranger:
        finish(bob, session, li, code="c", state=query["state"][0])
    assert stranger.value.code == "not_allowed" and li.requests == []


def test_only_people_who_may_connect_accounts_can_start(bob, workspace_a):
    editor = Membership.objects.get(user=bob, workspace=workspace_a)
    with pytest.raises(PermissionDenied):
        do_start_linkedin_connect(editor, {}, redirect_uri=CALLBACK, app=app())


def test_a_member_profile_is_connected_as_the_member_who_signed_in(alice, membership, li):
    li.routes["POST /oauth/v2/accessToken"] = answer(
        "oauth_token__no_refresh_200.json",
        body={
            "access_token": "at-member",
            "expires_in": 5184000,
            "scope": "openid,profile,w_member_social",
        },
    )
    session: dict = {}
    query = start(membership, session, network="linkedin_profile")
    assert query["scope"] == ["openid profile w_member_social"]
    (member,) = finish(
        alice, session, li, network="linkedin_profile", code="c", state=query["state"][0]
    )
    assert member.network == "linkedin_profile" and member.display_name == "John Doe"
    assert credentials_for(member).extra["author_urn"] == "urn:li:person:782bbtaQ"


def test_a_profile_publishes_as_the_member_and_offers_no_inbox_or_metrics(li):
    from townsquare.networks.base import InboxSource, MetricsSource, OutcomeUnknown, Publisher
    from townsquare.networks.linkedin.tests.fake_linkedin import creds

    li.routes["POST /rest/posts"] = answer("posts_create__ok_201.json")
    profile = li.profile_connector()
    assert isinstance(profile, Publisher)
    assert not isinstance(profile, InboxSource) and not isinstance(profile, MetricsSource)
    member = creds(network="linkedin_profile", extra={"author_urn": "urn:li:person:782bbtaQ"})
    variant = VariantToPublish(
        variant_id=1, account_id=1, network="linkedin_profile", parts=("Hi",)
    )
    profile.publish(member, variant, "k")
    import json

    assert json.loads(li.sent("POST /rest/posts")[0].content)["author"] == "urn:li:person:782bbtaQ"
    with pytest.raises(OutcomeUnknown):
        profile.find_published(member, "k", expected=variant, sent_after=NOW)
    profile.check_connection(member)
    assert li.sent("GET /v2/userinfo")[0].headers["Authorization"] == "Bearer at-1"


def test_a_renewal_with_linkedin_s_refresh_token_is_stored_and_used(workspace_a, li):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="linkedin_page", handle="linkedin", token_expires_at=NOW
    )
    store_credentials(
        account,
        {
            "access_token": "at-old",
            "refresh_token": "rt-old",
            "expires_at": (NOW + timedelta(minutes=1)).isoformat(),
            "extra": {"author_urn": PAGE},
        },
    )
    li.routes["POST /oauth/v2/accessToken"] = answer("oauth_token__refreshed_200.json")
    li.routes["POST /rest/posts"] = answer("posts_create__ok_201.json")
    connector = li.connector(app=app())
    variant = VariantToPublish(
        variant_id=1, account_id=account.pk, network="linkedin_page", parts=("Hallo",)
    )
    connector.publish(credentials_for(account), variant, "k")
    form = parse_qs(li.sent("POST /oauth/v2/accessToken")[0].content.decode())
    assert form["grant_type"] == ["refresh_token"] and form["refresh_token"] == ["rt-old"]
    fresh = captured("oauth_token__refreshed_200.json")["body"]["access_token"]
    assert li.sent("POST /rest/posts")[0].headers["Authorization"] == f"Bearer {fresh}"
    account.refresh_from_db()
    assert credentials_for(account).access_token == fresh


def test_the_app_and_the_version_come_from_the_settings(settings, membership):
    from townsquare.lib.errors import ActionError
    from townsquare.networks.linkedin.connector import configured_app, configured_version

    settings.LINKEDIN_CLIENT_ID = ""
    with pytest.raises(ActionError) as missing:
        do_start_linkedin_connect(membership, {}, redirect_uri=CALLBACK)
    assert missing.value.code == "no_app"
    settings.LINKEDIN_CLIENT_ID, settings.LINKEDIN_CLIENT_SECRET = "86bfq2dgqv3b3k", "s"
    linkedin_app = configured_app(CALLBACK, network="linkedin_profile")
    assert linkedin_app.client_auth == "form" and linkedin_app.scopes == payloads.PROFILE_SCOPES
    settings.LINKEDIN_API_VERSION = "202611"
    assert configured_version() == "202611"
    settings.LINKEDIN_API_VERSION = "latest"  # not a version: the pinned one stays
    assert configured_version() == payloads.API_VERSION
