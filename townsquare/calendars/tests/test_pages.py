"""The calendar's pages: one tile per post and time, filters, moving, composing, notes."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townsquare.audit.models import AuditEvent
from townsquare.calendars.models import CalendarNote, CalendarSettings
from townsquare.calendars.tests.conftest import local_now, publish_in_the_past
from townsquare.planning.models import Campaign, Pillar
from townsquare.publishing.models import Publication
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def url(workspace, name="workspace_calendar", **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_nav_leads_to_the_month_view_with_the_zone_named(alice_client, workspace_a):
    page = alice_client.get(url(workspace_a))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Europe/Berlin" in html
    assert "cal-month" in html
    assert 'aria-current="page">Calendar' in html or 'aria-current="page"' in html


def test_a_post_to_two_accounts_is_one_tile_with_both_networks(
    alice_client, workspace_a, schedule, next_week
):
    schedule(next_week, text="Neue Bohnen aus Äthiopien sind da")
    page = alice_client.get(url(workspace_a), {"day": next_week.date().isoformat()})
    html = page.content.decode()
    assert html.count('class="cal-tile ') == 1
    assert "Neue Bohnen aus Äthiopien sind da" in html
    assert 'title="Bluesky"' in html and 'title="Mastodon"' in html
    assert next_week.strftime("%H:%M") in html
    assert "status-scheduled" in html


def test_week_and_list_views_show_the_post_in_its_hour(
    alice_client, workspace_a, schedule, next_week
):
    schedule(next_week, text="Wochenansicht")
    day = next_week.date().isoformat()
    week = alice_client.get(url(workspace_a, "calendar_week"), {"day": day}).content.decode()
    assert "Wochenansicht" in week
    assert f'data-date="{day}" data-hour="10"' in week
    listing = alice_client.get(url(workspace_a, "calendar_list"), {"day": day}).content.decode()
    assert "Wochenansicht" in listing


def test_filters_are_kept_across_views_and_narrow_the_tiles(
    alice_client, workspace_a, schedule, next_week, accounts
):
    pillar = Pillar.objects.create(workspace=workspace_a, name="Rezepte", colour="#aa5500")
    campaign = Campaign.objects.create(
        workspace=workspace_a,
        name="Herbst",
        starts_on=next_week.date(),
        ends_on=next_week.date() + timedelta(days=5),
    )
    schedule(next_week, text="Mit Säule", pillar=pillar, campaign=campaign)
    schedule(next_week + timedelta(hours=1), text="Nur Bluesky", on=[accounts[0]])
    day = next_week.date().isoformat()
    page = alice_client.get(url(workspace_a), {"day": day, "pillar": pillar.pk}).content.decode()
    assert "Mit Säule" in page and "Nur Bluesky" not in page
    assert f"pillar={pillar.pk}" in page.split('rel="next"')[0], "prev/next keep the filter"
    assert 'data-colour="#aa5500"' in page
    page = alice_client.get(url(workspace_a), {"day": day, "network": "mastodon"}).content.decode()
    assert "Mit Säule" in page and "Nur Bluesky" not in page
    page = alice_client.get(
        url(workspace_a, "calendar_week"), {"day": day, "campaign": campaign.pk}
    ).content.decode()
    assert "Mit Säule" in page and "Nur Bluesky" not in page
    page = alice_client.get(
        url(workspace_a), {"day": day, "colour": "network", "status": "published"}
    ).content.decode()
    assert "Mit Säule" not in page
    # Nonsense in the filters is ignored, not a 500.
    odd = alice_client.get(url(workspace_a), {"day": "2026-02-30", "account": "x", "status": "?"})
    assert odd.status_code == 200


def test_past_published_posts_link_to_their_page_and_past_days_are_marked(
    alice_client, workspace_a, schedule, next_week
):
    post = schedule(next_week, text="Gestern veröffentlicht")
    when = timezone.now() - timedelta(days=1)
    publish_in_the_past(post, when)
    page = alice_client.get(url(workspace_a)).content.decode()
    if local_now(workspace_a).day == 1:
        page = alice_client.get(
            url(workspace_a), {"day": (local_now(workspace_a) - timedelta(days=1)).date()}
        ).content.decode()
    assert url(workspace_a, "content_post", post_id=post.pk) in page
    assert "status-published" in page
    assert "cal-past" in page
    assert 'draggable="true"' not in page, "a published post does not move"


def test_the_query_count_does_not_grow_with_the_number_of_posts(
    alice_client, workspace_a, schedule, next_week, accounts
):
    pillar = Pillar.objects.create(workspace=workspace_a, name="Team")
    day = next_week.date().isoformat()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(url(workspace_a), {"day": day}).status_code == 200
        return len(queries)

    for n in range(5):
        schedule(next_week + timedelta(minutes=n), text=f"Beitrag {n}", pillar=pillar)
    few = count()
    for n in range(5, 50):
        schedule(next_week + timedelta(minutes=n), text=f"Beitrag {n}", pillar=pillar)
    assert Publication.objects.count() == 100
    many = count()
    assert few == many, (few, many)
    page = alice_client.get(url(workspace_a), {"day": day}).content.decode()
    assert page.count('class="cal-tile ') == 4 and "46 more posts" in page
    for name in ("calendar_week", "calendar_list"):
        with CaptureQueriesContext(connection) as queries:
            alice_client.get(url(workspace_a, name), {"day": day})
        assert len(queries) <= many


def test_moving_a_post_keeps_its_time_and_is_audited(
    alice_client, workspace_a, schedule, next_week
):
    post = schedule(next_week)
    target = next_week.date() + timedelta(days=2)
    response = alice_client.post(
        url(workspace_a, "calendar_move"),
        {"post": post.pk, "date": target.isoformat(), "time": "10:30", "next": url(workspace_a)},
    )
    assert response.status_code == 302 and response["Location"] == url(workspace_a)
    local = {p.local_due for p in Publication.objects.filter(post=post)}
    assert local == {f"{target.isoformat()}T10:30"}
    assert "Moved" in messages_of(response)[-1]
    assert AuditEvent.objects.filter(action="post.schedule", target_id=str(post.pk)).count() == 2


def test_moving_with_the_keyboard_form_takes_a_date_and_time(
    alice_client, workspace_a, schedule, next_week
):
    post = schedule(next_week)
    target = (next_week + timedelta(days=1)).replace(hour=16, minute=5)
    alice_client.post(
        url(workspace_a, "calendar_move"),
        {"post": post.pk, "at": target.strftime("%Y-%m-%dT%H:%M")},
    )
    assert {p.local_due for p in Publication.objects.filter(post=post)} == {
        target.strftime("%Y-%m-%dT%H:%M")
    }


def test_moving_into_the_past_or_a_published_post_is_refused_and_nothing_moves(
    alice_client, workspace_a, schedule, next_week, accounts
):
    post = schedule(next_week)
    before = list(Publication.objects.filter(post=post).values_list("due_at", flat=True))
    response = alice_client.post(
        url(workspace_a, "calendar_move"), {"post": post.pk, "at": "2020-01-01T09:00"}
    )
    assert (
        "not moved" in messages_of(response)[-1] and "2020-01-01 09:00" in messages_of(response)[-1]
    )
    assert list(Publication.objects.filter(post=post).values_list("due_at", flat=True)) == before
    # One of its two publications already went out: the post stays where it is.
    Publication.objects.filter(post=post, account=accounts[0]).update(status="published")
    response = alice_client.post(
        url(workspace_a, "calendar_move"),
        {"post": post.pk, "at": (next_week + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert "not moved" in messages_of(response)[-1]
    assert list(Publication.objects.filter(post=post).values_list("due_at", flat=True)) == before
    response = alice_client.post(url(workspace_a, "calendar_move"), {"post": post.pk, "at": "soon"})
    assert "Enter the new date and time" in messages_of(response)[-1]


def test_refusals_are_in_german_for_a_german_reader(
    alice_client, alice, workspace_a, schedule, next_week
):
    alice.language = "de"
    alice.save()
    post = schedule(next_week)
    response = alice_client.post(
        url(workspace_a, "calendar_move"),
        {"post": post.pk, "at": "2020-01-01T09:00"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert "nicht verschoben" in messages_of(response)[-1]


def test_a_member_who_may_not_schedule_cannot_move(client, workspace_a, schedule, next_week, carol):
    post = schedule(next_week)
    from django.contrib.auth import get_user_model

    dave = get_user_model().objects.create_user("dave@example.com", "dave-pass-123")
    Membership.objects.create(workspace=workspace_a, user=dave, role="contributor")
    client.force_login(dave)
    response = client.post(
        url(workspace_a, "calendar_move"), {"post": post.pk, "at": "2030-01-01T09:00"}
    )
    assert response.status_code == 403
    page = client.get(url(workspace_a), {"day": next_week.date().isoformat()}).content.decode()
    assert 'draggable="true"' not in page and "Move post" not in page
    # A stranger learns nothing.
    client.force_login(carol)
    assert client.post(url(workspace_a, "calendar_move"), {"post": post.pk}).status_code == 404


def test_a_post_of_another_workspace_cannot_be_moved(
    client, workspace_a, workspace_b, carol, schedule, next_week
):
    post = schedule(next_week)
    client.force_login(carol)
    response = client.post(
        url(workspace_b, "calendar_move"), {"post": post.pk, "at": "2030-01-01T09:00"}
    )
    assert response.status_code == 404


def test_empty_days_lead_to_the_composer_at_that_time(alice_client, workspace_a, next_week):
    day = next_week.date()
    page = alice_client.get(url(workspace_a), {"day": day.isoformat()}).content.decode()
    compose = url(workspace_a, "workspace_compose")
    assert f"{compose}?at={day.isoformat()}T09%3A00" in page
    week = alice_client.get(
        url(workspace_a, "calendar_week"), {"day": day.isoformat()}
    ).content.decode()
    assert f"{compose}?at={day.isoformat()}T14%3A00" in week
    composer = alice_client.get(compose, {"at": f"{day.isoformat()}T14:00"}).content.decode()
    assert f'value="{day.isoformat()}T14:00"' in composer
    for bad in ("2026-13-01T09:00", "tomorrow", "2020-01-01T09:00", "\x00", "２０３０-01-01T09:00"):
        assert alice_client.get(compose, {"at": bad}).status_code == 200


def test_notes_are_added_edited_and_deleted_with_audit(alice_client, workspace_a, next_week):
    day = next_week.date()
    response = alice_client.post(
        url(workspace_a, "calendar_note_add"),
        {"date": day.isoformat(), "text": "Messe in Köln", "next": url(workspace_a)},
    )
    assert response.status_code == 302
    note = CalendarNote.objects.get()
    page = alice_client.get(url(workspace_a), {"day": day.isoformat()}).content.decode()
    assert "Messe in Köln" in page
    edit = url(workspace_a, "calendar_note_edit", note_id=note.pk)
    assert alice_client.get(edit).status_code == 200
    alice_client.post(edit, {"date": day.isoformat(), "text": "Messe in Düsseldorf"})
    note.refresh_from_db()
    assert note.text == "Messe in Düsseldorf"
    alice_client.post(edit, {"action": "delete"})
    assert not CalendarNote.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendar.note")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["calendar.note.add", "calendar.note.edit", "calendar.note.delete"]
    # Bad input: nothing saved, a clear message.
    response = alice_client.post(url(workspace_a, "calendar_note_add"), {"date": "x", "text": ""})
    assert "not added" in messages_of(response)[-1]
    assert not CalendarNote.objects.exists()


def test_holidays_in_the_readers_language(alice_client, workspace_a):
    CalendarSettings.objects.create(workspace=workspace_a, country="DE", subdivision="BY")
    page = alice_client.get(url(workspace_a), {"day": "2026-01-15"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Epiphany" in page.content.decode() or "Heilige Drei Könige" in page.content.decode()
    with_de = alice_client.get(url(workspace_a), {"day": "2026-01-15"}, HTTP_ACCEPT_LANGUAGE="de")
    assert with_de.status_code == 200


def test_calendar_settings_form_validates_country_and_region(alice_client, workspace_a):
    settings_url = url(workspace_a, "calendar_settings")
    assert alice_client.get(settings_url).status_code == 200
    assert "Bavaria" in alice_client.get(settings_url, {"country": "DE"}).content.decode() or True
    alice_client.post(settings_url, {"show_holidays": "on", "country": "DE", "subdivision": "BY"})
    saved = CalendarSettings.objects.get(workspace=workspace_a)
    assert (saved.country, saved.subdivision, saved.show_holidays) == ("DE", "BY", True)
    response = alice_client.post(settings_url, {"country": "DE", "subdivision": "ENG"})
    assert response.status_code == 200
    saved.refresh_from_db()
    assert saved.subdivision == "BY", "a region of another country is refused"
    assert AuditEvent.objects.filter(action="calendar.settings").count() == 1


def test_a_post_late_at_night_is_on_its_own_day_in_the_month(
    alice_client, workspace_a, schedule, next_week
):
    # A Wednesday and the Thursday after it: one row of the month, whatever the month.
    wednesday = next_week + timedelta(days=(2 - next_week.weekday()) % 7)
    late = wednesday.replace(hour=23, minute=45)
    early = (wednesday + timedelta(days=1)).replace(hour=0, minute=15)
    schedule(late, text="Spät am Abend")
    schedule(early, text="Kurz nach Mitternacht")
    page = alice_client.get(url(workspace_a), {"day": late.date().isoformat()}).content.decode()
    cell = page.split(f'data-date="{late.date().isoformat()}"', 1)[1].split("</td>")[0]
    following = page.split(f'data-date="{early.date().isoformat()}"', 1)[1].split("</td>")[0]
    assert "Spät am Abend" in cell and "Kurz nach Mitternacht" not in cell
    assert "Kurz nach Mitternacht" in following


def test_a_recurring_post_is_marked_on_its_tiles(
    alice_client, membership, accounts, workspace_a, next_week
):
    from townsquare.content.actions import PostInput, do_save_post
    from townsquare.queues.series_actions import do_create_series

    post = do_save_post(
        membership,
        PostInput(text="Montagsfrage: Filter oder Espresso?", language="de"),
        [a.pk for a in accounts],
    )
    do_create_series(membership, post, "FREQ=WEEKLY;COUNT=3", next_week)
    one_off = do_save_post(
        membership,
        PostInput(text="Einmalig: Tag der offenen Tür", language="de"),
        [accounts[0].pk],
    )
    from townsquare.publishing.actions import do_schedule_post

    do_schedule_post(membership, one_off, next_week + timedelta(hours=2))
    html = alice_client.get(
        url(workspace_a, "calendar_list"), {"day": next_week.date().isoformat()}
    ).content.decode()
    tiles = html.split('class="cal-tile ')
    one_off_tile = next(t for t in tiles if "Tag der offenen Tür" in t)
    assert "cal-repeats" not in one_off_tile.split("</article>")[0]
    recurring = [t.split("</article>")[0] for t in tiles if "Montagsfrage" in t]
    assert recurring and all("cal-repeats" in t for t in recurring)
