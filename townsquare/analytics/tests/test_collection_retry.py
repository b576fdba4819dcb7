""" "Try again" for a stopped collection: the button beside the problem on the analytics pages
makes the account due at once, for members who may connect accounts, and only for the
workspace's own accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from townsquare.analytics.collection import MAX_FAILURES, collect_account
from townsquare.analytics.collection_actions import do_retry_collection
from townsquare.analytics.collection_jobs import due_states
from townsquare.analytics.freshness import freshness
from townsquare.analytics.models import CollectionState
from townsquare.analytics.tests import collection_world
from townsquare.analytics.tests.collection_world import NOW, Scripted, connect, reading
from townsquare.audit.models import AuditEvent
from townsquare.lib.errors import ActionError
from townsquare.networks.base import Reauth, Rejected
from townsquare.workspaces.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_limits")]
mastodon_account = collection_world.mastodon_account
generous_limits = collection_world.generous_limits


def stop_after_refusals(account) -> None:
    """A reading first, then the network refuses MAX_FAILURES times: collection stops."""
    collect_account(account, source=Scripted([[reading("")]]), now=NOW - timedelta(days=1))
    source = Scripted([Rejected("Forbidden for this app")] * MAX_FAILURES)
    for attempt in range(MAX_FAILURES):
        collect_account(account, source=source, now=NOW + timedelta(hours=attempt))
    assert CollectionState.objects.get(account=account).next_due_at is None


def retry_url(workspace, account_id) -> str:
    return reverse("analytics_collection_retry", args=[workspace.slug, account_id])


@pytest.fixture
def viewer(workspace_a):
    user = get_user_model().objects.create_user("vera@example.com", "vera-pass-123", name="Vera")
    Membership.objects.create(workspace=workspace_a, user=user, role="viewer")
    return user


def test_the_button_beside_a_stopped_collection_makes_the_account_due_at_once(
    alice_client, membership, mastodon_account, workspace_a
):
    stop_after_refusals(mastodon_account)
    overview = reverse("workspace_analytics", args=[workspace_a.slug])
    page = alice_client.get(overview + "?period=7d")
    assert page.status_code == 200
    assert retry_url(workspace_a, mastodon_account.pk) in page.content.decode()

    before = timezone.now()
    answer = alice_client.post(
        retry_url(workspace_a, mastodon_account.pk), {"next": overview + "?period=7d"}
    )

    assert answer.status_code == 302 and answer["Location"] == overview + "?period=7d"
    state = CollectionState.objects.get(account=mastodon_account)
    assert state.next_due_at is not None and state.next_due_at >= before
    assert state.consecutive_failures == 0 and state.last_error == ""
    assert state.failing_since == NOW, "a renewed failure still says since when"
    assert due_states(["mastodon"], timezone.now()).filter(pk=state.pk).exists()
    assert not freshness(membership).has_problem
    event = AuditEvent.objects.get(action="analytics.collection_retry")
    assert event.workspace == workspace_a and event.actor.email == "alice@example.com"
    assert event.before == {"collection_stopped": True, "failed_attempts": MAX_FAILURES}
    assert event.after == {"collection_stopped": False, "failed_attempts": 0}
    shown = alice_client.get(answer["Location"]).content.decode()
    assert "reads the figures of" in shown and "Try again now" not in shown


def test_the_button_and_its_confirmation_speak_german():
    with translation.override("de"):
        assert gettext("Try again now") == "Jetzt erneut versuchen"
        assert gettext(
            "Townsquare reads the figures of %(account)s again within a few minutes. "
            "Should it fail again, the reason appears here."
        ).startswith("Townsquare liest die Zahlen von %(account)s")


def test_a_viewer_sees_no_button_and_is_refused(client, viewer, mastodon_account, workspace_a):
    stop_after_refusals(mastodon_account)
    client.force_login(viewer)
    page = client.get(reverse("workspace_analytics", args=[workspace_a.slug]))
    assert retry_url(workspace_a, mastodon_account.pk) not in page.content.decode()
    assert client.post(retry_url(workspace_a, mastodon_account.pk)).status_code == 403
    assert CollectionState.objects.get(account=mastodon_account).next_due_at is None
    member = Membership.objects.get(user=viewer)
    with pytest.raises(PermissionDenied):
        do_retry_collection(member, mastodon_account.pk)
    assert not AuditEvent.objects.filter(action="analytics.collection_retry").exists()


def test_another_workspaces_account_is_not_found_for_get_and_post(
    alice_client, client, carol, workspace_a, workspace_b, mastodon_account
):
    theirs = connect(workspace_b, handle="@beta@mastodon.example")
    stop_after_refusals(theirs)
    for method in (alice_client.get, alice_client.post):
        assert method(retry_url(workspace_a, theirs.pk)).status_code == 404
    client.force_login(carol)
    for method in (client.get, client.post):
        assert method(retry_url(workspace_a, mastodon_account.pk)).status_code == 404
    assert CollectionState.objects.get(account=theirs).next_due_at is None


def test_only_a_post_tries_again(alice_client, mastodon_account, workspace_a):
    stop_after_refusals(mastodon_account)
    assert alice_client.get(retry_url(workspace_a, mastodon_account.pk)).status_code == 405
    assert CollectionState.objects.get(account=mastodon_account).next_due_at is None


def test_an_account_whose_login_was_refused_is_sent_to_connect_again_instead(
    alice_client, membership, mastodon_account, workspace_a
):
    collect_account(mastodon_account, source=Scripted([Reauth("revoked")]), now=NOW)
    fresh = freshness(membership)
    assert fresh.stopped and fresh.retry_account_id is None, "no button: only a login helps"
    with pytest.raises(ActionError) as refused:
        do_retry_collection(membership, mastodon_account.pk)
    assert refused.value.code == "needs_reconnect"
    answer = alice_client.post(retry_url(workspace_a, mastodon_account.pk))
    assert answer.status_code == 302
    assert CollectionState.objects.get(account=mastodon_account).next_due_at is None


def test_a_page_to_return_to_outside_the_workspaces_analytics_is_ignored(
    alice_client, mastodon_account, workspace_a
):
    stop_after_refusals(mastodon_account)
    answer = alice_client.post(
        retry_url(workspace_a, mastodon_account.pk), {"next": "https://evil.example/w/x"}
    )
    assert answer["Location"] == reverse("workspace_analytics", args=[workspace_a.slug])
