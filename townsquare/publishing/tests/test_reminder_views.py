"""Marking a post as posted by hand (or not posted): from the reminder page and the post page,
with the address checked, audited, and never across workspaces; overdue ones on the
dashboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.audit.models import AuditEvent
from townsquare.content.actions import PostInput, do_save_post
from townsquare.lib.errors import ActionError
from townsquare.networks.models import SocialAccount
from townsquare.notifications.models import Notification
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.reminder_actions import do_mark_not_posted, do_mark_posted
from townsquare.publishing.reminders import KIND, send_due_reminders
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(membership, workspace_a):
    """A post to LinkedIn (no connector) that is due and waiting for a person."""
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="linkedin_page", handle="Alpha Kaffee GmbH"
    )
    post = do_save_post(
        membership,
        PostInput(text="Wir suchen eine Baristа für unsere neue Filiale.", language="de"),
        [account.pk],
    )
    do_schedule_post(membership, post, None)
    send_due_reminders()
    return Publication.objects.get(post=post)


def reminder_url(pub):
    return reverse(
        "publishing_reminder", kwargs={"workspace": pub.workspace.slug, "publication_id": pub.pk}
    )


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("", "url_required"),
        ("   ", "url_required"),
        ("linkedin.com/feed/update/1", "invalid_url"),
        ("ftp://linkedin.com/feed/update/1", "invalid_url"),
        ("javascript:alert(1)", "invalid_url"),
        ("https://" + "a" * 2000 + ".example/", "invalid_url"),
    ],
)
def test_marking_as_posted_needs_a_full_http_address(membership, waiting, url, code):
    with pytest.raises(ActionError) as refused:
        do_mark_posted(membership, waiting, url)
    assert refused.value.code == code
    waiting.refresh_from_db()
    assert waiting.status == "by_hand" and waiting.external_url == ""


def test_marking_as_posted_publishes_it_with_its_address_audited_and_reminders_done(
    membership, waiting, alice
):
    address = "https://www.linkedin.com/feed/update/urn:li:activity:7312/"
    do_mark_posted(membership, waiting, f"  {address} ")
    waiting.refresh_from_db()
    assert waiting.status == "published" and waiting.external_url == address
    assert waiting.published_at is not None
    event = AuditEvent.objects.get(action="publication.mark_posted")
    assert event.actor == alice and event.after == {"status": "published", "url": address}
    assert not Notification.objects.filter(kind=KIND, read_at__isnull=True).exists()
    # Only once: a second mark finds it no longer waiting.
    with pytest.raises(ActionError) as again:
        do_mark_posted(membership, waiting, address)
    assert again.value.code == "not_waiting"


def test_not_posted_cancels_it_and_keeps_it_in_the_history(membership, waiting):
    do_mark_not_posted(membership, waiting)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.error_code) == ("cancelled", "not_posted")
    assert AuditEvent.objects.filter(action="publication.not_posted").count() == 1
    # Scheduling the post again brings a new reminder.
    do_schedule_post(membership, waiting.post, None)
    send_due_reminders()
    waiting.refresh_from_db()
    assert waiting.status == "by_hand"
    assert Notification.objects.filter(kind=KIND).count() == 2


def test_a_contributor_may_not_mark_a_post_as_posted(client, workspace_a, waiting, carol):
    Membership.objects.create(workspace=workspace_a, user=carol, role="contributor")
    client.force_login(carol)
    page = client.get(reminder_url(waiting))
    assert page.status_code == 200 and 'value="posted"' not in page.content.decode()
    response = client.post(reminder_url(waiting), {"url": "https://linkedin.com/p/1"})
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == "by_hand"


def test_the_reminder_page_shows_the_text_to_copy_and_marks_the_post_as_posted(
    alice_client, waiting
):
    page = alice_client.get(reminder_url(waiting)).content.decode()
    assert "Wir suchen eine Baristа für unsere neue Filiale." in page
    assert "Mark as posted" in page or "Als gepostet markieren" in page
    response = alice_client.post(
        reminder_url(waiting), {"action": "posted", "url": "https://linkedin.com/posts/1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "content_post", kwargs={"workspace": waiting.workspace.slug, "post_id": waiting.post_id}
    )
    waiting.refresh_from_db()
    assert waiting.status == "published"


def test_a_wrong_address_is_shown_again_with_the_reason_and_nothing_changes(alice_client, waiting):
    response = alice_client.post(
        reminder_url(waiting), {"action": "posted", "url": "ftp://linkedin.com/posts/1"}
    )
    assert response.status_code == 200  # the form again, as every form in Townsquare
    page = response.content.decode()
    assert "ftp://linkedin.com/posts/1" in page  # what was typed is kept
    assert "https://" in page and 'aria-invalid="true"' in page
    waiting.refresh_from_db()
    assert waiting.status == "by_hand"


def test_the_post_page_offers_mark_as_posted_for_a_waiting_reminder(alice_client, waiting):
    url = reverse(
        "content_post", kwargs={"workspace": waiting.workspace.slug, "post_id": waiting.post_id}
    )
    page = alice_client.get(url).content.decode()
    assert f'id="reminder-{waiting.pk}"' in page
    assert reminder_url(waiting) in page


def test_another_workspaces_member_gets_a_404_for_the_reminder(client, carol, workspace_b, waiting):
    client.force_login(carol)
    for method in ("get", "post"):
        response = getattr(client, method)(
            reminder_url(waiting), {"action": "posted", "url": "https://x.com/a/status/1"}
        )
        assert response.status_code == 404
    mixed = reverse(
        "publishing_reminder",
        kwargs={"workspace": workspace_b.slug, "publication_id": waiting.pk},
    )
    assert client.post(mixed, {"url": "https://x.com/a/status/1"}).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == "by_hand"


def test_an_overdue_reminder_shows_on_the_dashboard_with_a_count_and_a_link(
    alice_client, waiting, workspace_a
):
    dashboard = reverse("workspace_dashboard", kwargs={"workspace": workspace_a.slug})
    page = alice_client.get(dashboard).content.decode()
    assert "1 post is waiting to be posted by hand" in page or "1 Beitrag wartet" in page
    assert "more than an hour ago" not in page and "vor mehr als einer Stunde" not in page
    Publication.objects.update(reminded_at=timezone.now() - timedelta(minutes=61))
    page = alice_client.get(dashboard).content.decode()
    assert (
        "1 post was due more than an hour ago" in page
        or "1 Beitrag war vor mehr als einer Stunde fällig" in page
    )
    assert reverse("publishing_reminders", kwargs={"workspace": workspace_a.slug}) in page
    assert reminder_url(waiting) in page


def test_the_list_of_posts_to_post_by_hand_marks_the_overdue_ones(
    alice_client, waiting, workspace_a
):
    Publication.objects.update(reminded_at=timezone.now() - timedelta(hours=3))
    url = reverse("publishing_reminders", kwargs={"workspace": workspace_a.slug})
    page = alice_client.get(url).content.decode()
    assert "Alpha Kaffee GmbH" in page and reminder_url(waiting) in page
    assert "overdue" in page or "überfällig" in page
