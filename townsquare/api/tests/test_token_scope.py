"""An API token acts only within the workspaces it was made for, on every route.

Token management and the creation of workspaces happen in a signed-in browser session: a
token that could make tokens would let a leaked token outlive its own revocation, and a
token that could reach beyond its workspaces would not be limited at all.
"""

import pytest
from django.test import Client

from townsquare.api.actions import do_create_api_token
from townsquare.api.models import ApiToken
from townsquare.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_in_both(alice, workspace_a, workspace_b):
    """alice owns A and also manages B; her token is made for A only."""
    Membership.objects.create(workspace=workspace_b, user=alice, role="manager")
    return alice


@pytest.fixture
def token_for_a(alice_in_both, workspace_a):
    _token, raw = do_create_api_token(
        alice_in_both, name="only A", workspace_slugs=[workspace_a.slug]
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_session_required(response):
    assert response.status_code == 403, response.content
    error = response.json()["error"]
    assert error["code"] == "session_required"
    assert "Settings > API tokens" in error["message"]


def test_a_token_cannot_make_a_token_for_the_users_other_workspace(
    alice_in_both, workspace_b, token_for_a
):
    before = ApiToken.objects.count()

    response = Client().post(
        "/api/v1/tokens",
        {"name": "escalated", "workspaces": [workspace_b.slug]},
        content_type="application/json",
        **token_for_a,
    )

    assert_session_required(response)
    assert ApiToken.objects.count() == before


def test_a_token_cannot_make_a_token_even_within_its_own_workspace(
    alice_in_both, workspace_a, token_for_a
):
    before = ApiToken.objects.count()

    response = Client().post(
        "/api/v1/tokens",
        {"name": "copy of myself", "workspaces": [workspace_a.slug]},
        content_type="application/json",
        **token_for_a,
    )

    assert_session_required(response)
    assert ApiToken.objects.count() == before


def test_a_token_cannot_list_the_users_tokens(alice_in_both, workspace_b, token_for_a):
    do_create_api_token(alice_in_both, name="the B robot", workspace_slugs=[workspace_b.slug])

    response = Client().get("/api/v1/tokens", **token_for_a)

    assert_session_required(response)
    assert "the B robot" not in response.content.decode()


def test_a_token_cannot_revoke_another_token_of_the_user(alice_in_both, workspace_b, token_for_a):
    other, _raw = do_create_api_token(
        alice_in_both, name="the B robot", workspace_slugs=[workspace_b.slug]
    )

    response = Client().delete(f"/api/v1/tokens/{other.pk}", **token_for_a)

    assert_session_required(response)
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_token_cannot_create_a_workspace(alice_in_both, workspace_b, token_for_a):
    before = Workspace.objects.count()

    response = Client().post(
        "/api/v1/workspaces",
        {"name": "Outside the token", "organisation": workspace_b.organisation.slug},
        content_type="application/json",
        **token_for_a,
    )

    assert_session_required(response)
    assert Workspace.objects.count() == before


def test_a_token_lists_only_its_own_workspaces(alice_in_both, workspace_a, token_for_a):
    listed = Client().get("/api/v1/workspaces", **token_for_a).json()

    assert [w["slug"] for w in listed] == [workspace_a.slug]


def test_a_token_may_check_a_text_against_a_networks_rules(token_for_a):
    response = Client().post(
        "/api/v1/validate",
        {"network": "mastodon", "text": "Hallo"},
        content_type="application/json",
        **token_for_a,
    )

    assert response.status_code == 200
    assert response.json()["valid"] is True


def test_the_browser_session_manages_the_tokens_of_every_workspace(
    alice_in_both, workspace_a, workspace_b
):
    browser = Client()
    browser.force_login(alice_in_both)

    created = browser.post(
        "/api/v1/tokens",
        {"name": "both", "workspaces": [workspace_a.slug, workspace_b.slug]},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert [t["name"] for t in browser.get("/api/v1/tokens").json()] == ["both"]
    assert browser.delete(f"/api/v1/tokens/{created.json()['id']}").status_code == 204


def test_the_api_description_says_which_routes_need_a_browser_session(client):
    schema = client.get("/api/v1/openapi.json").json()

    for path, method in [
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens/{token_id}", "delete"),
        ("/api/v1/workspaces", "post"),
    ]:
        operation = schema["paths"][path][method]
        assert "browser session" in operation["description"], (path, method)
        assert "403" in operation["responses"], (path, method)
