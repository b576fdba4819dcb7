"""The approvals API and `townsquare approvals list`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from townsquare.api.actions import do_create_api_token
from townsquare.approvals import review_actions
from townsquare.approvals.models import PostReview

pytestmark = pytest.mark.django_db


def call(client, method, path, body=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.generic(
        method,
        f"/api/v1/workspaces/{path}",
        json.dumps(body) if body is not None else "",
        "application/json",
        **headers,
    )


@pytest.fixture
def tokens(alice, bob, mia, workspace_a):
    return {
        user.email.split("@")[0]: do_create_api_token(
            user, name="t", workspace_slugs=[workspace_a.slug]
        )[1]
        for user in (alice, bob, mia.user)
    }


def test_settings_get_and_put(client, workspace_a, tokens):
    ws = workspace_a.slug
    got = call(client, "GET", f"{ws}/approvals/settings", token=tokens["bob"])
    assert got.status_code == 200 and got.json()["mode"] == "none"
    refused = call(client, "PUT", f"{ws}/approvals/settings", {"mode": "one"}, token=tokens["bob"])
    assert refused.status_code == 403
    bad = call(client, "PUT", f"{ws}/approvals/settings", {"mode": "ten"}, token=tokens["alice"])
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_mode"
    ok = call(
        client,
        "PUT",
        f"{ws}/approvals/settings",
        {"mode": "two", "client_approval": True, "link_days": 3},
        token=tokens["alice"],
    )
    assert ok.status_code == 200
    assert ok.json() == {
        "mode": "two",
        "approvers_needed": 2,
        "client_approval": True,
        "link_days": 3,
    }


def test_the_whole_flow_through_the_api(client, one_approver, workspace_a, bob_m, write, tokens):
    ws = workspace_a.slug
    post = write(bob_m)
    base = f"{ws}/posts/{post.pk}"
    refused = call(
        client,
        "POST",
        f"{ws}/posts/{post.pk}/schedule",
        {"at": "2099-01-01T09:00"},
        token=tokens["bob"],
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "approval_required"
    bad_time = call(client, "POST", f"{base}/review/submit", {"at": "morgen"}, token=tokens["bob"])
    assert bad_time.status_code == 422
    submitted = call(
        client, "POST", f"{base}/review/submit", {"at": "2099-01-01T09:00"}, token=tokens["bob"]
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "in_review"
    assert submitted.json()["proposed_local"] == "2099-01-01T09:00"
    own = call(client, "POST", f"{base}/review/approve", token=tokens["bob"])
    assert own.status_code == 403
    no_comment = call(
        client, "POST", f"{base}/review/request-changes", {"comment": ""}, token=tokens["mia"]
    )
    assert no_comment.status_code == 422
    approved = call(client, "POST", f"{base}/review/approve", token=tokens["mia"])
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved" and approved.json()["scheduled"] is True
    again = call(client, "POST", f"{base}/review/approve", token=tokens["alice"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_in_review"
    held = call(client, "POST", f"{base}/review/hold", token=tokens["alice"])
    assert held.json()["state"] == "on_hold" and held.json()["scheduled"] is False
    released = call(client, "POST", f"{base}/review/release", token=tokens["alice"])
    assert released.json()["state"] == "approved" and released.json()["scheduled"] is True
    changes = call(
        client,
        "POST",
        f"{base}/review/request-changes",
        {"comment": "Bitte kürzer."},
        token=tokens["alice"],
    )
    assert changes.json()["state"] == "changes_requested"
    review = call(client, "GET", f"{base}/review", token=tokens["bob"]).json()
    assert review["decisions"][-1] == {
        "by": "alice@example.com",
        "decision": "changes",
        "comment": "Bitte kürzer.",
        "created_at": review["decisions"][-1]["created_at"],
    }
    listed = call(client, "GET", f"{ws}/approvals", token=tokens["bob"]).json()
    assert [i["state"] for i in listed] == ["changes_requested"]


def test_comments_through_the_api(client, workspace_a, bob_m, write, tokens):
    post = write(bob_m)
    path = f"{workspace_a.slug}/posts/{post.pk}/comments"
    added = call(client, "POST", path, {"body": "@mia schau mal"}, token=tokens["bob"])
    assert added.status_code == 201
    assert added.json()["mentioned"] == ["mia@example.com"]
    empty = call(client, "POST", path, {"body": ""}, token=tokens["bob"])
    assert empty.status_code == 422
    listed = call(client, "GET", path, token=tokens["alice"]).json()
    assert [c["body"] for c in listed] == ["@mia schau mal"]


def test_client_links_through_the_api(client, with_client, workspace_a, bob_m, write, tokens, at):
    post = write(bob_m)
    path = f"{workspace_a.slug}/posts/{post.pk}/client-link"
    early = call(client, "POST", path, token=tokens["alice"])
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_in_review"
    review_actions.do_submit_for_review(bob_m, post, at)
    assert call(client, "POST", path, token=tokens["bob"]).status_code == 403
    made = call(client, "POST", path, token=tokens["alice"])
    assert made.status_code == 201 and "/review/" in made.json()["url"]
    page = client.get(made.json()["url"].split("testserver")[-1].replace("http://", ""))
    assert page.status_code in (200, 404)
    revoked = call(client, "DELETE", path, token=tokens["alice"])
    assert revoked.json() == {"revoked": 1}


def test_cli_lists_the_posts_in_review(one_approver, workspace_a, bob_m, conrad, write, at):
    post = write(conrad, "Von Conrad.")
    review_actions.do_submit_for_review(conrad, post, at)
    out = StringIO()
    call_command("approvals", "list", "--workspace", workspace_a.slug, stdout=out)
    text = out.getvalue()
    assert "Approvals in Alpha Kaffee: one" in text
    assert f"#{post.pk}" in text and "in_review" in text and "conrad@example.com" in text
    out = StringIO()
    call_command("approvals", "list", "--workspace", workspace_a.slug, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["posts"][0]["post_id"] == post.pk
    out = StringIO()
    call_command(
        "approvals", "list", "--workspace", workspace_a.slug, "--state", "approved", stdout=out
    )
    assert "No posts" in out.getvalue()
    review_actions.do_approve(one_approver.workspace.memberships.get(role="owner"), post)
    out = StringIO()
    call_command("approvals", "list", "--workspace", workspace_a.slug, stdout=out)
    assert "No posts" in out.getvalue()
    out = StringIO()
    call_command("approvals", "list", "--workspace", workspace_a.slug, "--all", stdout=out)
    assert "approved" in out.getvalue()
    with pytest.raises(CommandError, match="no workspace"):
        call_command("approvals", "list", "--workspace", "gibt-es-nicht")
    assert PostReview.objects.count() == 1
