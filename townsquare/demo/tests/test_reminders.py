"""The demo shows posting by hand: accounts labelled "by reminder", reminders waiting in
German and English, and an overdue one on the dashboard."""

import pytest
from django.urls import reverse

from townsquare.demo.accounts import seed_accounts
from townsquare.demo.connections import seed_connections
from townsquare.demo.content import seed_content
from townsquare.demo.media import seed_media
from townsquare.demo.people import seed_people
from townsquare.demo.reminders import seed_reminders
from townsquare.notifications.models import Notification
from townsquare.publishing.models import Publication
from townsquare.publishing.reminders import KIND

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_media(workspaces)
    seed_content(workspaces)
    seed_connections(workspaces)
    seed_reminders(workspaces)
    return user, {w.name: w for w in workspaces}


def test_the_demo_has_reminders_waiting_in_german_and_english_and_one_overdue(client, demo):
    user, workspaces = demo
    seed_reminders(list(workspaces.values()))  # twice: nothing is added twice
    morgenrot = workspaces["Morgenrot Kaffeerösterei"]
    northwind = workspaces["Northwind Outdoor"]
    waiting = Publication.objects.filter(status="by_hand")
    assert sorted(
        waiting.filter(workspace=morgenrot).values_list("account__network", flat=True)
    ) == [
        "instagram",
        "linkedin_page",
        "threads",
    ]
    assert sorted(
        waiting.filter(workspace=northwind).values_list("account__network", flat=True)
    ) == [
        "facebook_page",
        "x",
    ]
    assert Notification.objects.filter(kind=KIND, recipient=user).count() == 5

    client.force_login(user)
    dashboard = client.get(reverse("workspace_dashboard", args=[morgenrot.slug])).content.decode()
    assert "2 posts were due more than an hour ago" in dashboard or (
        "2 Beiträge waren vor mehr als einer Stunde fällig" in dashboard
    )
    calm = client.get(reverse("workspace_dashboard", args=[northwind.slug])).content.decode()
    assert "2 posts are waiting to be posted by hand" in calm or "2 Beiträge warten" in calm
    latte = waiting.filter(workspace=morgenrot, account__network="instagram").get()
    page = client.get(
        reverse("publishing_reminder", args=[morgenrot.slug, latte.pk])
    ).content.decode()
    assert "Latte-Art-Kurs am Samstag" in page


def test_the_demo_labels_accounts_that_publish_by_reminder(client, demo):
    user, workspaces = demo
    client.force_login(user)
    morgenrot = workspaces["Morgenrot Kaffeerösterei"]
    page = client.get(reverse("workspace_accounts", args=[morgenrot.slug])).content.decode()
    assert page.count("by reminder") + page.count("per Erinnerung") >= 3  # IG, LinkedIn, Threads


def test_the_demos_post_for_every_account_ends_waiting_for_a_person_where_it_has_no_login(
    demo,
):
    from datetime import timedelta

    from django.utils import timezone

    from townsquare.publishing.claim import claim_due
    from townsquare.publishing.reminders import claim_due_reminders

    _user, workspaces = demo
    morgenrot = workspaces["Morgenrot Kaffeerösterei"]
    later = Publication.objects.filter(workspace=morgenrot, status="scheduled")
    networks = set(later.values_list("account__network", flat=True))
    assert {"instagram", "linkedin_page", "threads"} <= networks
    when = timezone.now() + timedelta(days=6)
    by_hand = claim_due_reminders(now=when)
    automatic = [pub_id for pub_id, _token in claim_due(now=when)]
    # The demo's accounts without a login (those of Bluesky and Matrix too) are reminded.
    assert set(
        Publication.objects.filter(pk__in=by_hand).values_list("account__network", flat=True)
    ) == {"bluesky", "instagram", "linkedin_page", "matrix_room", "threads"}
    assert not {"instagram", "linkedin_page", "threads"} & set(
        Publication.objects.filter(pk__in=automatic).values_list("account__network", flat=True)
    )
