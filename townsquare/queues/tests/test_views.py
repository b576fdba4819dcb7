"""The composer's Add to queue, Repeat and near-duplicate warning; Settings > Queue; a
post's repeat and evergreen page."""

from datetime import time

import pytest

from townsquare.content.models import Post
from townsquare.publishing.models import Publication
from townsquare.queues.models import Evergreen, SeriesOccurrence, Slot
from townsquare.queues.series_actions import do_create_series
from townsquare.queues.slot_actions import do_add_slot
from townsquare.queues.tests.conftest import tomorrow_at

pytestmark = pytest.mark.django_db

TEXT = "Montagsfrage: Was ist euer Lieblingskaffee und warum?"
LATER = "2031-12-12T09:00"


def form(accounts, **extra):
    return {"text": TEXT, "language": "de", "accounts": [str(a.pk) for a in accounts], **extra}


def _slots(membership, account):
    for day in range(7):
        do_add_slot(membership, account, day, time(9, 0))


def test_the_composer_offers_add_to_queue_and_repeat(alice_client, workspace_a, masto):
    page = alice_client.get(f"/w/{workspace_a.slug}/compose/").content.decode()
    assert 'value="queue"' in page and 'name="repeat_frequency"' in page


def test_add_to_queue_from_the_composer_shows_the_time_chosen(
    alice_client, workspace_a, masto, membership
):
    _slots(membership, masto)
    response = alice_client.post(f"/w/{workspace_a.slug}/compose/", form([masto], action="queue"))
    assert response.status_code == 302
    pub = Publication.objects.get()
    assert pub.status == "scheduled" and pub.local_due.endswith("T09:00")
    page = alice_client.get(response["Location"]).content.decode()
    assert "Saved. Scheduled for" in page and "09:00 (Europe/Berlin)" in page


def test_add_to_queue_without_slots_saves_nothing_and_says_how(alice_client, workspace_a, masto):
    response = alice_client.post(f"/w/{workspace_a.slug}/compose/", form([masto], action="queue"))
    assert response.status_code == 200
    assert "has no posting slots" in response.content.decode()
    assert not Post.objects.exists()


def test_a_near_duplicate_asks_for_schedule_anyway(alice_client, workspace_a, masto):
    url = f"/w/{workspace_a.slug}/compose/"
    alice_client.post(url, form([masto], action="schedule", when=LATER))
    first = Post.objects.get()
    again = alice_client.post(url, form([masto], action="schedule", when="2031-12-15T09:00"))
    html = again.content.decode()
    assert again.status_code == 200
    assert f"/w/{workspace_a.slug}/posts/{first.pk}/" in html
    assert 'name="confirm_duplicate"' in html
    assert Post.objects.count() == 1, "nothing saved"
    confirmed = alice_client.post(
        url, form([masto], action="schedule", when="2031-12-15T09:00", confirm_duplicate="on")
    )
    assert confirmed.status_code == 302 and Post.objects.count() == 2


def test_repeat_from_the_composer_makes_a_series(alice_client, workspace_a, masto):
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form(
            [masto],
            action="schedule",
            when=LATER,
            repeat_frequency="WEEKLY",
            repeat_interval="1",
            repeat_end="count",
            repeat_count="8",
        ),
    )
    assert response.status_code == 302
    assert SeriesOccurrence.objects.count() == 8
    assert Publication.objects.filter(status="scheduled").count() == 8


def test_a_never_ending_rrule_from_the_composer_is_a_clear_error(alice_client, workspace_a, masto):
    response = alice_client.post(
        f"/w/{workspace_a.slug}/compose/",
        form([masto], action="schedule", when=LATER, repeat_rrule="FREQ=WEEKLY"),
    )
    assert response.status_code == 200
    assert "needs an end" in response.content.decode()
    assert not Post.objects.exists()


def test_settings_page_adds_and_removes_slots(alice_client, workspace_a, masto):
    url = f"/w/{workspace_a.slug}/settings/queue/"
    assert "No slots yet" in alice_client.get(url).content.decode()
    alice_client.post(url, {"do": "add", "account": masto.pk, "weekday": "0", "time": "09:30"})
    slot = Slot.objects.get()
    assert slot.weekday == 0 and slot.time == time(9, 30)
    page = alice_client.get(url).content.decode()
    assert "Monday 09:30" in page or "Montag 09:30" in page
    bad = alice_client.post(
        url, {"do": "add", "account": masto.pk, "weekday": "9", "time": "09:30"}, follow=True
    )
    assert "weekday" in bad.content.decode() or "Wochentag" in bad.content.decode()
    alice_client.post(url, {"do": "remove", "slot": slot.pk})
    assert not Slot.objects.exists()
    filled = alice_client.post(url, {"do": "fill"}, follow=True).content.decode()
    assert "preferred days and times" in filled or "bevorzugten" in filled


def test_fill_from_the_plan(alice_client, workspace_a, masto):
    from townsquare.planning.models import NetworkPlan, Plan

    plan, _ = Plan.objects.get_or_create(workspace=workspace_a, campaign=None)
    NetworkPlan.objects.create(
        plan=plan, network="mastodon", preferred_days=[0, 2], preferred_times=["09:00", "17:30"]
    )
    alice_client.post(f"/w/{workspace_a.slug}/settings/queue/", {"do": "fill"})
    assert Slot.objects.filter(account=masto).count() == 4


def test_the_post_page_skips_one_occurrence_and_sets_evergreen(
    alice_client, workspace_a, membership, make_post
):
    post = make_post(TEXT)
    series = do_create_series(membership, post, "FREQ=WEEKLY;COUNT=3", tomorrow_at(workspace_a))
    url = f"/w/{workspace_a.slug}/queue/posts/{post.pk}/"
    page = alice_client.get(url).content.decode()
    assert "FREQ=WEEKLY;COUNT=3" in page
    second = series.occurrences.get(index=1)
    alice_client.post(url, {"do": "occurrence", "occurrence": second.pk, "change": "skip"})
    second.refresh_from_db()
    assert second.skipped
    assert second.post.publications.get().status == "cancelled"
    alice_client.post(
        url, {"do": "evergreen", "enabled": "on", "min_gap_days": "20", "max_reposts": "2"}
    )
    assert Evergreen.objects.get(post=post).min_gap_days == 20


def test_a_viewer_sees_but_cannot_change(client, workspace_a, carol, masto, membership):
    from townsquare.workspaces.models import Membership

    Membership.objects.create(workspace=workspace_a, user=carol, role="viewer")
    client.force_login(carol)
    url = f"/w/{workspace_a.slug}/settings/queue/"
    assert 'name="do" value="add"' not in client.get(url).content.decode()
    client.post(url, {"do": "add", "account": masto.pk, "weekday": "0", "time": "09:30"})
    assert not Slot.objects.exists()


def test_the_pages_speak_german(alice, alice_client, workspace_a, masto, membership, make_post):
    alice.language = "de"
    alice.save()
    settings_page = alice_client.get(f"/w/{workspace_a.slug}/settings/queue/").content.decode()
    assert "Sendeplätze sind wöchentliche Uhrzeiten" in settings_page
    assert "Sendeplatz hinzufügen" in settings_page and "Montag" in settings_page
    compose = alice_client.get(f"/w/{workspace_a.slug}/compose/").content.decode()
    assert "In die Warteschlange" in compose and "Keine Wiederholung" in compose
    post = make_post(TEXT)
    page = alice_client.get(f"/w/{workspace_a.slug}/queue/posts/{post.pk}/").content.decode()
    assert "Wiederholung und Evergreen" in page and "Mindestabstand (Tage)" in page
    refused = alice_client.post(
        f"/w/{workspace_a.slug}/compose/", form([masto], action="queue")
    ).content.decode()
    assert "hat keine Sendeplätze" in refused
