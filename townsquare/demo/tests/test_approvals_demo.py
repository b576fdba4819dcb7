"""The demo approves posts before they go out: posts waiting (one by a contributor), one
sent back with changes requested, a comment mentioning the demo user; twice is once."""

import pytest
from django.urls import reverse

from townsquare.approvals.models import ApprovalSettings, Comment, PostReview
from townsquare.demo.accounts import seed_accounts
from townsquare.demo.approvals import seed_approvals
from townsquare.demo.people import seed_people
from townsquare.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_has_pending_approvals_and_running_it_twice_adds_nothing(client):
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_approvals(workspaces)
    counts = (PostReview.objects.count(), Comment.objects.count(), Notification.objects.count())
    seed_approvals(workspaces)
    assert counts == (
        PostReview.objects.count(),
        Comment.objects.count(),
        Notification.objects.count(),
    )
    by_name = {w.name: w for w in workspaces}
    german = ApprovalSettings.objects.get(workspace=by_name["Morgenrot Kaffeerösterei"])
    english = ApprovalSettings.objects.get(workspace=by_name["Northwind Outdoor"])
    assert (german.mode, german.client_approval) == ("one", True)
    assert (english.mode, english.client_approval) == ("one", False)
    states = sorted(PostReview.objects.values_list("workspace__language", "state"))
    assert states == [("de", "changes_requested"), ("de", "in_review"), ("en", "in_review")]
    contributor = PostReview.objects.get(submitted_by__email="jonas.berger@morgenrot.example")
    assert contributor.state == "in_review" and contributor.proposed_due_at
    assert Comment.objects.filter(mentioned=user).count() == 2
    client.force_login(user)
    for workspace in workspaces:
        queue = client.get(reverse("approvals_queue", kwargs={"workspace": workspace.slug}))
        assert queue.status_code == 200
    page = client.get(
        reverse("workspace_dashboard", kwargs={"workspace": by_name["Northwind Outdoor"].slug})
    )
    assert "1 post waits for your approval" in page.content.decode()
