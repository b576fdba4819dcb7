import pytest
from django.test import Client

from townsquare.api.actions import do_create_api_token
from townsquare.api.models import ApiToken
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_without_credentials_the_api_answers_401_in_the_error_shape(client):
    response = client.get("/api/v1/workspaces")
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthenticated", "message": "Sign in or send a valid API token."}
    }


def test_a_token_is_stored_hashed_shown_once_and_works_until_revoked(alice_client, workspace_a):
    created = alice_client.post(
        "/api/v1/tokens",
        {"name": "CI", "workspaces": [workspace_a.slug]},
        content_type="application/json",
    )
    assert created.status_code == 201
    raw = created.json()["token"]
    stored = ApiToken.objects.get()
    assert raw not in (stored.token_hash, stored.prefix) and raw.startswith(stored.prefix)
    assert "token" not in alice_client.get("/api/v1/tokens").json()[0]

    anonymous = Client()
    assert anonymous.get("/api/v1/workspaces", **bearer(raw)).status_code == 200
    assert alice_client.delete(f"/api/v1/tokens/{stored.pk}").status_code == 204
    assert anonymous.get("/api/v1/workspaces", **bearer(raw)).status_code == 401


def test_a_wrong_token_is_refused(client, workspace_a):
    assert client.get("/api/v1/workspaces", **bearer("tsq_not-a-real-token")).status_code == 401


def test_session_writes_need_the_csrf_token(alice, workspace_a):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    response = browser.patch(
        f"/api/v1/workspaces/{workspace_a.slug}", {"name": "New"}, content_type="application/json"
    )
    assert response.status_code == 403
    browser.get("/", follow=True)  # a page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.patch(
        f"/api/v1/workspaces/{workspace_a.slug}",
        {"name": "New"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200 and response.json()["name"] == "New"


def test_invalid_bodies_get_a_422_with_details_and_change_nothing(alice_client, workspace_a):
    response = alice_client.patch(
        f"/api/v1/workspaces/{workspace_a.slug}",
        '{"language": "fr", "name": ""}',
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "validation_error" and body["details"]
    workspace_a.refresh_from_db()
    assert workspace_a.name == "Alpha Kaffee"


def test_malformed_json_is_a_clear_error_not_a_500(alice_client, workspace_a):
    response = alice_client.patch(
        f"/api/v1/workspaces/{workspace_a.slug}", "{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert "error" in response.json()


def test_an_unknown_time_zone_is_refused_with_the_field_named(alice_client, workspace_a):
    response = alice_client.patch(
        f"/api/v1/workspaces/{workspace_a.slug}",
        {"time_zone": "Europe/Atlantis"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "time_zone" in response.json()["error"]["details"]


def test_an_editor_gets_403_for_a_manager_action(client, bob, workspace_a):
    client.force_login(bob)
    response = client.post(
        f"/api/v1/workspaces/{workspace_a.slug}/invitations",
        {"email": "x@example.com", "role": "viewer"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_members_are_listed_and_roles_changed_through_the_api(alice_client, bob, workspace_a):
    members = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/members").json()
    assert {m["email"] for m in members} == {"alice@example.com", "bob@example.com"}
    bobs = Membership.objects.get(user=bob)
    response = alice_client.patch(
        f"/api/v1/workspaces/{workspace_a.slug}/members/{bobs.pk}",
        {"role": "manager"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["role"] == "manager"
    audit = alice_client.get(f"/api/v1/workspaces/{workspace_a.slug}/audit").json()
    assert audit[0]["action"] == "member.role" and audit[0]["after"] == {"role": "manager"}


def test_creating_a_workspace_through_the_api(alice_client):
    response = alice_client.post(
        "/api/v1/workspaces",
        {"name": "Gamma", "language": "en", "time_zone": "America/New_York"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["role"] == "owner"


def test_the_openapi_document_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/workspaces/{workspace}" in schema["paths"]
    assert client.get("/api/docs").status_code == 302


def test_a_token_cannot_be_scoped_to_a_workspace_the_user_is_not_in(alice, workspace_b):
    from townsquare.lib.errors import ActionError

    with pytest.raises(ActionError):
        do_create_api_token(alice, name="sneaky", workspace_slugs=[workspace_b.slug])
