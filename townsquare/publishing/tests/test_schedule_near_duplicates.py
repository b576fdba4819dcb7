"""The post page's schedule form refuses a near-duplicate until the person confirms it, as
the composer does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import utc_to_local

pytestmark = pytest.mark.django_db

TEXT = "Montagsfrage: Was ist euer Lieblingskaffee?"


def _tomorrow(workspace, hour, days=1):
    local = utc_to_local(timezone.now(), workspace.time_zone)
    return (local + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _url(workspace, post):
    return reverse("publishing_schedule", kwargs={"workspace": workspace.slug, "post_id": post.pk})


def test_a_near_duplicate_is_shown_and_scheduled_only_once_confirmed(
    alice_client, membership, make_post, workspace_a
):
    first = make_post(TEXT)
    do_schedule_post(membership, first, _tomorrow(workspace_a, 9))
    second = make_post(TEXT + " #kaffee")
    when = _tomorrow(workspace_a, 9, days=3).strftime("%Y-%m-%dT%H:%M")

    refused = alice_client.post(_url(workspace_a, second), {"action": "schedule", "when": when})

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "This post is very similar to a recent one to the same account:" in page
    assert f"/posts/{first.pk}/" in page
    assert 'name="confirm_duplicate" value="on"' in page and f'value="{when}"' in page
    assert not Publication.objects.filter(post=second).exists()

    confirmed = alice_client.post(
        _url(workspace_a, second), {"action": "schedule", "when": when, "confirm_duplicate": "on"}
    )

    assert confirmed.status_code == 302
    assert Publication.objects.get(post=second).status == "scheduled"


def test_the_confirmation_speaks_german(alice_client, membership, make_post, workspace_a):
    first = make_post(TEXT)
    do_schedule_post(membership, first, _tomorrow(workspace_a, 9))
    second = make_post(TEXT)
    when = _tomorrow(workspace_a, 11).strftime("%Y-%m-%dT%H:%M")

    page = alice_client.post(
        _url(workspace_a, second),
        {"action": "schedule", "when": when},
        HTTP_ACCEPT_LANGUAGE="de",
    ).content.decode()

    assert "Trotzdem planen" in page and "Nichts wurde geplant" in page


def test_a_different_text_is_scheduled_at_once(alice_client, membership, make_post, workspace_a):
    do_schedule_post(membership, make_post(TEXT), _tomorrow(workspace_a, 9))
    other = make_post("Wir suchen eine neue Röstmeisterin für unser Team in Köln.")
    when = _tomorrow(workspace_a, 10).strftime("%Y-%m-%dT%H:%M")

    response = alice_client.post(_url(workspace_a, other), {"action": "schedule", "when": when})

    assert response.status_code == 302
    assert Publication.objects.get(post=other).status == "scheduled"
