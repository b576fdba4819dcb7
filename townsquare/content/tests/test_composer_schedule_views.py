"""Scheduling from the composer in one step, the date field in the workspace's zone, and a
post page that says where the post stands."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status, utc_to_local

pytestmark = pytest.mark.django_db

TEXT = "Ab Freitag rösten wir wieder samstags: kommen Sie vorbei und schauen Sie zu."
# A Friday in a later year, so the title is certain whatever day the tests run.
FRIDAY = "2031-12-12T09:00"


@pytest.fixture
def mastodon(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@alpha@social.example"
    )


@pytest.fixture
def instagram(workspace_a):
    return SocialAccount.objects.create(workspace=workspace_a, network="instagram", handle="a.k")


def form(accounts, **extra):
    return {"text": TEXT, "language": "de", "accounts": [str(a.pk) for a in accounts], **extra}


def test_schedule_saves_and_schedules_in_one_step(alice_client, workspace_a, mastodon):
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/", form([mastodon], action="schedule", when=FRIDAY)
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/w/{workspace_a.slug}/posts/{post.pk}/"
    (pub,) = Publication.objects.filter(post=post)
    assert pub.status == Status.SCHEDULED
    assert pub.local_due == FRIDAY and pub.time_zone == "Europe/Berlin"
    page = alice_client.get(response["Location"]).content.decode()
    assert "Saved. Scheduled for Fri 12 Dec 2031, 09:00 (Europe/Berlin)." in page


def test_a_scheduled_post_is_titled_scheduled_with_its_time_in_the_date_field(
    alice_client, workspace_a, mastodon
):
    alice_client.post(
        f"/w/{workspace_a.slug}/compose/", form([mastodon], action="schedule", when=FRIDAY)
    )
    page = alice_client.get(f"/w/{workspace_a.slug}/posts/{Post.objects.get().pk}/")
    html = page.content.decode()
    title = "Scheduled for Fri 12 Dec 2031, 09:00 (Europe/Berlin)"
    assert re.search(rf"<h1[^>]*>{re.escape(title)}</h1>", html)
    assert f"<title>{title} · Alpha Kaffee · Townsquare</title>" in html
    assert re.search(rf'name="when" value="{FRIDAY}"', html)
    assert "Time in Europe/Berlin" in html


def test_the_title_speaks_german_to_a_german_user(client, alice, workspace_a, mastodon):
    alice.language = "de"
    alice.save()
    client.force_login(alice)
    client.post(f"/w/{workspace_a.slug}/compose/", form([mastodon], action="schedule", when=FRIDAY))
    html = client.get(f"/w/{workspace_a.slug}/posts/{Post.objects.get().pk}/").content.decode()
    assert "Geplant für Fr., 12. Dez. 2031, 09:00 (Europe/Berlin)" in html
    assert "Zeit in Europe/Berlin" in html


def test_refused_scheduling_saves_nothing_and_keeps_everything_in_the_form(
    alice_client, workspace_a, instagram
):
    # Instagram needs a picture: the variant is invalid, so the schedule is refused.
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([instagram], action="schedule", when=FRIDAY, hashtags="#Rösterei"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fix the problems first: Instagram" in html
    assert TEXT in html and 'value="#Rösterei"' in html and f'value="{FRIDAY}"' in html
    assert not Post.objects.exists() and not Publication.objects.exists()


def test_scheduling_without_a_time_asks_for_one(alice_client, workspace_a, mastodon):
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/", form([mastodon], action="schedule", when="")
    )
    assert "Choose the date and time to publish (Europe/Berlin)." in response.content.decode()
    assert not Post.objects.exists()


def test_a_time_in_the_past_is_refused_by_the_form_with_the_zone_named(
    alice_client, workspace_a, mastodon
):
    past = utc_to_local(timezone.now() - timedelta(hours=2), "Europe/Berlin")
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([mastodon], action="schedule", when=past.strftime("%Y-%m-%dT%H:%M")),
    )
    html = response.content.decode()
    assert "has already passed in Europe/Berlin" in html
    assert "or press Publish now" in html
    assert TEXT in html
    assert not Post.objects.exists()


def test_a_past_time_does_not_stop_saving_a_draft(alice_client, workspace_a, mastodon):
    alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([mastodon], action="save", when="2020-01-01T09:00"),
    )
    assert Post.objects.count() == 1 and not Publication.objects.exists()


def test_the_date_field_starts_at_now_in_the_workspace_zone(alice_client, workspace_a, mastodon):
    before = utc_to_local(timezone.now(), "Europe/Berlin").strftime("%Y-%m-%dT%H:%M")
    html = alice_client.get(f"/w/{workspace_a.slug}/compose/").content.decode()
    after = utc_to_local(timezone.now(), "Europe/Berlin").strftime("%Y-%m-%dT%H:%M")
    minimum = re.search(r'<input type="datetime-local" name="when"[^>]*min="([^"]+)"', html)
    assert minimum and minimum.group(1) in (before, after)
    assert 'aria-describedby="id_when-zone"' in html and "Time in Europe/Berlin" in html


def test_another_zone_is_used_for_a_workspace_elsewhere(client, carol, workspace_b):
    client.force_login(carol)
    html = client.get(f"/w/{workspace_b.slug}/compose/").content.decode()
    now_london = utc_to_local(timezone.now(), "Europe/London").strftime("%Y-%m-%dT%H:")
    assert f'min="{now_london}' in html and "Time in Europe/London" in html


def test_publish_now_saves_and_hands_the_post_to_the_publisher(alice_client, workspace_a, mastodon):
    response = alice_client.post(f"/w/{workspace_a.slug}/compose/", form([mastodon], action="now"))
    assert response.status_code == 302
    (pub,) = Publication.objects.filter(post=Post.objects.get())
    assert pub.status == Status.SCHEDULED and pub.due_at <= timezone.now()


def test_a_contributor_saves_drafts_and_is_told_who_schedules(client, carol, workspace_a, mastodon):
    from townsquare.workspaces.models import Membership

    Membership.objects.create(workspace=workspace_a, user=carol, role="contributor")
    client.force_login(carol)
    html = client.get(f"/w/{workspace_a.slug}/compose/").content.decode()
    assert 'value="schedule"' not in html
    assert "Managers and owners schedule posts" in html
    response = client.post(
        f"/w/{workspace_a.slug}/compose/", form([mastodon], action="schedule", when=FRIDAY)
    )
    assert "Only managers and owners may schedule or publish" in response.content.decode()
    assert not Post.objects.exists()


def test_rescheduling_from_the_post_page_moves_the_time(alice_client, workspace_a, mastodon):
    alice_client.post(
        f"/w/{workspace_a.slug}/compose/", form([mastodon], action="schedule", when=FRIDAY)
    )
    post = Post.objects.get()
    alice_client.post(
        f"/w/{workspace_a.slug}/posts/{post.pk}/",
        form([mastodon], action="schedule", when="2031-12-13T10:30", post=str(post.pk)),
    )
    (pub,) = Publication.objects.filter(post=post)
    assert pub.local_due == "2031-12-13T10:30"
    html = alice_client.get(f"/w/{workspace_a.slug}/posts/{post.pk}/").content.decode()
    assert "Scheduled for Sat 13 Dec 2031, 10:30 (Europe/Berlin)" in html
