"""The bell and the notifications page: one's own notifications of this workspace, newest
first, marked read one by one or all at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.notifications.models import Notification

pytestmark = pytest.mark.django_db


def note(workspace, user, title, minutes_ago=0, **extra):
    n = Notification.objects.create(
        workspace=workspace, recipient=user, kind="other", title=title, **extra
    )
    Notification.objects.filter(pk=n.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return n


@pytest.fixture
def notes(workspace_a, workspace_b, alice, bob, carol):
    from townsquare.workspaces.models import Membership

    Membership.objects.create(workspace=workspace_b, user=alice, role="editor")
    return {
        "old": note(workspace_a, alice, "Older news", minutes_ago=30, url="/w/x/posts/1/"),
        "new": note(workspace_a, alice, "Newest news", minutes_ago=1),
        "bobs": note(workspace_a, bob, "Only for Bob"),
        "other_workspace": note(workspace_b, alice, "From the other workspace"),
    }


def page(client, workspace, **params):
    return client.get(reverse("notifications", args=[workspace.slug]), params)


def test_the_bell_counts_the_unread_notifications_of_this_workspace_only(
    alice_client, workspace_a, notes
):
    html = alice_client.get(reverse("workspace_dashboard", args=[workspace_a.slug])).content
    assert b'<span class="bell-count">2</span>' in html


def test_the_bell_shows_no_count_when_everything_is_read(alice_client, workspace_a, notes):
    Notification.objects.update(read_at=timezone.now())
    html = alice_client.get(reverse("workspace_dashboard", args=[workspace_a.slug])).content
    assert b"bell-count" not in html and b"Notifications" in html


def test_the_page_lists_ones_own_notifications_newest_first(alice_client, workspace_a, notes):
    html = page(alice_client, workspace_a).content.decode()
    assert html.index("Newest news") < html.index("Older news")
    assert "Only for Bob" not in html
    assert "From the other workspace" not in html


def test_opening_a_notification_marks_it_read_and_goes_to_the_post(
    alice_client, workspace_a, notes
):
    url = reverse("notification_read", args=[workspace_a.slug, notes["old"].pk])
    response = alice_client.post(url, {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/w/x/posts/1/"
    notes["old"].refresh_from_db()
    assert notes["old"].read_at is not None


def test_marking_one_as_read_leaves_the_others_unread(alice_client, workspace_a, notes):
    url = reverse("notification_read", args=[workspace_a.slug, notes["new"].pk])
    response = alice_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications", args=[workspace_a.slug])
    unread = Notification.objects.filter(recipient__email="alice@example.com", read_at=None)
    assert set(unread.values_list("title", flat=True)) == {
        "Older news",
        "From the other workspace",
    }


def test_the_unread_filter_hides_what_was_read(alice_client, workspace_a, notes):
    Notification.objects.filter(pk=notes["old"].pk).update(read_at=timezone.now())
    html = page(alice_client, workspace_a, show="unread").content.decode()
    assert "Newest news" in html and "Older news" not in html


def test_mark_all_as_read_touches_only_this_workspace_and_this_person(
    alice_client, workspace_a, notes
):
    response = alice_client.post(reverse("notifications_read_all", args=[workspace_a.slug]))
    assert response.status_code == 302
    unread = set(Notification.objects.filter(read_at=None).values_list("title", flat=True))
    assert unread == {"Only for Bob", "From the other workspace"}


def test_someone_elses_notification_cannot_be_marked_read(alice_client, workspace_a, notes):
    url = reverse("notification_read", args=[workspace_a.slug, notes["bobs"].pk])
    assert alice_client.post(url).status_code == 404
    notes["bobs"].refresh_from_db()
    assert notes["bobs"].read_at is None


def test_reading_the_page_changes_nothing_and_get_cannot_mark_read(
    alice_client, workspace_a, notes
):
    url = reverse("notification_read", args=[workspace_a.slug, notes["new"].pk])
    assert alice_client.get(url).status_code == 405
    page(alice_client, workspace_a)
    assert Notification.objects.filter(read_at=None).count() == 4


def test_a_failure_title_is_shown_in_the_readers_language(alice, workspace_a, client):
    Notification.objects.create(
        workspace=workspace_a,
        recipient=alice,
        kind="publication_failed",
        title="A post to Mastodon @kaffee failed",
        data={"account": "@kaffee", "network": "mastodon"},
    )
    alice.language = "de"
    alice.save()
    client.force_login(alice)
    html = page(client, workspace_a).content.decode()
    assert "Ein Beitrag an Mastodon @kaffee ist fehlgeschlagen" in html


def test_the_notifications_page_needs_a_signed_in_member(client, workspace_a, carol):
    url = reverse("notifications", args=[workspace_a.slug])
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(carol)
    assert client.get(url).status_code == 404
