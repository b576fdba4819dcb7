"""Suggested slots in Settings > Queue (added with one click through the slot form) and
the best times marked on the calendar's week: from the workspace's own history, general
guidance said as such, another workspace's posts never used, the week read once."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townsquare.analytics.suggest_calendar import week_marks
from townsquare.analytics.tests.suggest_world import history
from townsquare.compliance.tests.factories import account
from townsquare.queues.models import Slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def masto(workspace_a):
    return account(workspace_a, "mastodon", handle="@alpha@social.example")


def queue_page(client, workspace) -> str:
    return client.get(f"/w/{workspace.slug}/settings/queue/").content.decode()


def offered(html: str) -> list[tuple[str, str]]:
    found = re.findall(
        r'name="weekday" value="(\d)"><input type="hidden" name="time" value="(\d\d:\d\d)"', html
    )
    return [(day, at) for day, at in found]


def test_the_queue_offers_the_accounts_best_times_as_slots(alice_client, workspace_a, masto):
    history(masto)
    page = queue_page(alice_client, workspace_a)
    # Tuesday 18:00 and Thursday 08:00 beat the average; Friday noon is not offered.
    assert offered(page) == [("1", "18:00"), ("3", "08:00")]
    assert "Add Tuesday 18:00" in page
    assert "From 36 of your posts in the last 16 weeks" in page


def test_one_click_adds_the_suggested_slot_and_it_is_offered_no_more(
    alice_client, workspace_a, masto
):
    history(masto)
    response = alice_client.post(
        f"/w/{workspace_a.slug}/settings/queue/",
        {"do": "add", "account": masto.pk, "weekday": "1", "time": "18:00"},
    )
    assert response.status_code == 302
    assert Slot.objects.get(account=masto).time == time(18, 0)
    page = queue_page(alice_client, workspace_a)
    assert offered(page) == [("3", "08:00")]


def test_a_queue_whose_slots_hold_the_best_times_says_so(alice_client, workspace_a, masto):
    history(masto)
    for weekday, at in ((1, time(18)), (3, time(8))):
        Slot.objects.create(workspace=workspace_a, account=masto, weekday=weekday, time=at)
    page = queue_page(alice_client, workspace_a)
    assert offered(page) == []
    assert "The slots of this account already hold its best times." in page


def test_the_queue_offers_general_guidance_when_history_is_thin(alice_client, workspace_a, masto):
    page = queue_page(alice_client, workspace_a)
    assert len(offered(page)) == 3
    assert "Not enough data yet (0 of at least 30 posts in 16 weeks)" in page
    assert "General guidance for this network (not from your data)" in page


def test_the_queue_never_learns_from_another_workspace(
    alice_client, workspace_a, workspace_b, masto
):
    history(account(workspace_b, "mastodon", handle="@beta@social.example"))
    page = queue_page(alice_client, workspace_a)
    assert "Not enough data yet (0 of at least 30 posts" in page
    assert "From 36 of your posts" not in page


def test_a_viewer_sees_the_suggested_slots_without_buttons(client, workspace_a, masto, carol):
    from townsquare.workspaces.models import Membership

    Membership.objects.create(workspace=workspace_a, user=carol, role="viewer")
    history(masto)
    client.force_login(carol)
    page = queue_page(client, workspace_a)
    assert "Suggested slots" in page and "Tuesday 18:00" in page
    assert offered(page) == []


def week_page(client, workspace, **query) -> str:
    # A week that lies ahead, so no hour of it is past.
    day = (timezone.now() + timedelta(days=14)).date().isoformat()
    return client.get(f"/w/{workspace.slug}/calendar/week/", {"day": day, **query}).content.decode()


def marked(html: str) -> set[tuple[str, str]]:
    cells = re.findall(
        r'class="cal-slot[^"]*cal-best"[^>]*data-date="([\d-]+)" data-hour="(\d+)"', html
    )
    return set(cells)


def test_the_week_marks_the_best_hours_with_a_legend(alice_client, workspace_a, masto):
    history(masto)
    page = week_page(alice_client, workspace_a)
    from datetime import date

    hours = {(date.fromisoformat(d).weekday(), int(h)) for d, h in marked(page)}
    assert hours == {(1, 18), (3, 8)}
    assert "Best time to post: Mastodon" in page
    assert "Marked hours: the best times to post for the accounts shown" in page
    assert "Mastodon: From 36 of your posts" in page


def test_the_week_marks_follow_the_account_filter(alice_client, workspace_a, masto):
    history(masto)
    other = account(workspace_a, "bluesky", handle="alpha.bsky.social")
    page = week_page(alice_client, workspace_a, account=str(other.pk))
    assert "Bluesky · alpha.bsky.social: Not enough data yet" in page
    assert "Mastodon" not in re.sub(r"<select.*?</select>", "", page, flags=re.S)


def test_the_week_marks_are_read_once_not_per_hour(membership, workspace_a, masto):
    history(masto)
    accounts = [masto, account(workspace_a, "bluesky", handle="b")]
    assert membership.workspace == workspace_a  # read by the page already
    with CaptureQueriesContext(connection) as queries:
        marks = week_marks(membership, accounts)
    assert marks is not None
    assert len(queries) == 1  # one reading for every network in view
    assert marks.at(1, 18) == "Mastodon" and marks.at(1, 17) == ""


def test_the_week_never_marks_from_another_workspaces_history(
    alice_client, workspace_a, workspace_b, masto
):
    history(account(workspace_b, "mastodon", handle="@beta@social.example"))
    page = week_page(alice_client, workspace_a)
    assert "Mastodon: Not enough data yet (0 of at least 30 posts" in page
