"""Posting by hand through the API: a post due on a network without a connector is marked as
posted (with its address) or as not posted, with the same checks, audit and reminders as on
the reminder page."""

from __future__ import annotations

import json

import pytest

from townsquare.api.actions import do_create_api_token
from townsquare.audit.models import AuditEvent
from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.models import SocialAccount
from townsquare.notifications.models import Notification
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.reminders import KIND, send_due_reminders
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

ADDRESS = "https://www.linkedin.com/feed/update/urn:li:activity:7312/"


@pytest.fixture
def waiting(membership, workspace_a):
    """A post to LinkedIn (no connector) that is due and waiting for a person."""
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="linkedin_page", handle="Alpha Kaffee GmbH"
    )
    post = do_save_post(
        membership,
        PostInput(text="Wir suchen eine Barista für unsere neue Filiale.", language="de"),
        [account.pk],
    )
    do_schedule_post(membership, post, None)
    send_due_reminders()
    return Publication.objects.get(post=post)


def post_json(client, path, body=None, **headers):
    return client.post(
        f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", **headers
    )


def path_of(pub, action):
    return f"/workspaces/{pub.workspace.slug}/publications/{pub.pk}/{action}"


def test_a_post_posted_by_hand_is_marked_as_posted_with_its_address(alice_client, waiting, alice):
    response = post_json(alice_client, path_of(waiting, "posted"), {"url": f" {ADDRESS} "})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["external_url"]) == ("published", ADDRESS)
    assert data["published_at"] is not None
    waiting.refresh_from_db()
    assert waiting.status == "published" and waiting.external_url == ADDRESS
    event = AuditEvent.objects.get(action="publication.mark_posted")
    assert event.actor == alice and event.after == {"status": "published", "url": ADDRESS}
    assert not Notification.objects.filter(kind=KIND, read_at__isnull=True).exists()


def test_a_token_marks_a_post_as_not_posted_and_it_stays_in_the_history(client, alice, waiting):
    _, secret = do_create_api_token(alice, name="Zapier", workspace_slugs=[waiting.workspace.slug])
    response = post_json(
        client, path_of(waiting, "not-posted"), HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["error_code"]) == ("cancelled", "not_posted")
    assert AuditEvent.objects.filter(action="publication.not_posted").count() == 1
    assert not Notification.objects.filter(kind=KIND, read_at__isnull=True).exists()


def test_not_posted_needs_no_body(alice_client, waiting):
    response = alice_client.post(f"/api/v1{path_of(waiting, 'not-posted')}")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"url": ""}, "url_required"),
        ({"url": "   "}, "url_required"),
        ({"url": "linkedin.com/feed/update/1"}, "invalid_url"),
        ({"url": "javascript:alert(1)"}, "invalid_url"),
        ({"url": "https://" + "a" * 2000 + ".example/"}, "validation_error"),
        ({}, "validation_error"),
        ({"url": 7}, "validation_error"),
    ],
)
def test_marking_as_posted_refuses_anything_but_a_full_http_address(
    alice_client, waiting, body, code
):
    response = post_json(alice_client, path_of(waiting, "posted"), body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == code
    waiting.refresh_from_db()
    assert waiting.status == "by_hand" and waiting.external_url == ""


def test_a_post_no_longer_waiting_is_a_conflict_both_ways(alice_client, waiting):
    assert post_json(alice_client, path_of(waiting, "posted"), {"url": ADDRESS}).status_code == 200
    for action, body in (("posted", {"url": ADDRESS}), ("not-posted", None)):
        response = post_json(alice_client, path_of(waiting, action), body)
        assert response.status_code == 409, response.content
        assert response.json()["error"]["code"] == "not_waiting"
    waiting.refresh_from_db()
    assert waiting.status == "published"


def test_a_contributor_may_not_mark_a_post_as_posted_or_not_posted(client, waiting, carol):
    Membership.objects.create(workspace=waiting.workspace, user=carol, role="contributor")
    client.force_login(carol)
    assert post_json(client, path_of(waiting, "posted"), {"url": ADDRESS}).status_code == 403
    assert post_json(client, path_of(waiting, "not-posted")).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == "by_hand"
    assert not AuditEvent.objects.filter(action__startswith="publication.").exists()


def test_another_workspaces_member_cannot_mark_it_even_at_their_own_address(
    client, carol, workspace_b, waiting
):
    client.force_login(carol)
    for slug in (workspace_b.slug, waiting.workspace.slug):
        path = f"/workspaces/{slug}/publications/{waiting.pk}/posted"
        assert post_json(client, path, {"url": ADDRESS}).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == "by_hand"


def test_the_publication_schema_explains_the_by_hand_status(client):
    schema = client.get("/api/v1/openapi.json").json()
    status = schema["components"]["schemas"]["PublicationOut"]["properties"]["status"]
    assert "by_hand" in status["description"]
    assert "/posted" in status["description"] and "/not-posted" in status["description"]
