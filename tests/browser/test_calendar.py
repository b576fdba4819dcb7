"""The calendar in the real UI: a post dragged to another day with the mouse keeps its time
of day, and one moved with the keyboard (Move, a date and time, Enter) lands where asked;
both are stored and shown, and a refused move leaves the post where it was."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from test_german_pages import german_workspace, problems_on  # noqa: F401 (a fixture)

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import utc_to_local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Adventsverkostung am Samstag: fünf Röstungen, ein Tisch, keine Eile."


def _wednesday_two_weeks_ahead(workspace):
    today = utc_to_local(timezone.now(), workspace.time_zone).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=14)
    return monday + timedelta(days=2)


@pytest.fixture
def planned(membership, workspace_a):
    accounts = [
        SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="alpha.bsky"),
        SocialAccount.objects.create(
            workspace=workspace_a, network="mastodon", handle="@alpha@example.social"
        ),
    ]
    post = do_save_post(membership, PostInput(text=TEXT, language="de"), [a.pk for a in accounts])
    day = _wednesday_two_weeks_ahead(workspace_a)
    do_schedule_post(
        membership,
        post,
        utc_to_local(timezone.now(), "UTC").replace(
            year=day.year, month=day.month, day=day.day, hour=10, minute=30, second=0, microsecond=0
        ),
    )
    return post, day


def _local_dues(post):
    return set(Publication.objects.filter(post=post).values_list("local_due", flat=True))


def test_drag_a_post_to_another_day_with_the_mouse(page, sign_in, workspace_a, planned):
    post, day = planned
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/calendar/?day={day.isoformat()}")
    tile = page.locator(f".cal-tile[data-post='{post.pk}']")
    expect(tile).to_have_count(1)
    expect(tile.locator(".cal-badge")).to_have_count(2)
    expect(tile.locator("time")).to_have_text("10:30")

    friday = day + timedelta(days=2)
    target = page.locator(f"td.cal-day[data-date='{friday.isoformat()}']")
    tile.drag_to(target)

    expect(page.locator(".messages")).to_contain_text("Moved")
    moved = page.locator(f"td.cal-day[data-date='{friday.isoformat()}'] .cal-tile")
    expect(moved).to_have_count(1)
    expect(moved.locator("time")).to_have_text("10:30")
    assert _local_dues(post) == {f"{friday.isoformat()}T10:30"}
    page.log.assert_clean()


def test_move_a_post_with_the_keyboard(page, sign_in, workspace_a, planned, unlabelled_controls):
    post, day = planned
    sign_in(page, "alice@example.com", "alice-pass-123")
    page.goto(f"/w/{workspace_a.slug}/calendar/week/?day={day.isoformat()}")
    move = page.locator(f".cal-tile[data-post='{post.pk}'] summary")
    move.focus()
    page.keyboard.press("Enter")
    field = page.get_by_label("New date and time (Europe/Berlin)")
    expect(field).to_be_visible()
    assert unlabelled_controls(page) == []

    # Into the past first: refused, said plainly, nothing moves.
    field.fill("2020-01-01T09:00")
    field.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The post was not moved")
    assert _local_dues(post) == {f"{day.isoformat()}T10:30"}

    page.locator(f".cal-tile[data-post='{post.pk}'] summary").focus()
    page.keyboard.press("Enter")
    thursday = day + timedelta(days=1)
    field = page.get_by_label("New date and time (Europe/Berlin)")
    field.fill(f"{thursday.isoformat()}T16:45")
    field.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Moved")
    slot = page.locator(
        f"td.cal-slot[data-date='{thursday.isoformat()}'][data-hour='16'] .cal-tile"
    )
    expect(slot.locator("time")).to_have_text("16:45")
    assert _local_dues(post) == {f"{thursday.isoformat()}T16:45"}
    page.log.assert_clean()


def test_the_calendar_pages_in_german_have_no_codes_no_english_and_no_sideways_scrolling(
    page,
    sign_in,
    german_workspace,  # noqa: F811 (the fixture imported above)
    membership,
    planned,
):
    workspace, _post = german_workspace
    slug = workspace.slug
    _planned, day = planned
    sign_in(page, "alice@example.com", "alice-pass-123")
    pages = [
        reverse("workspace_calendar", args=[slug]) + f"?day={day.isoformat()}",
        reverse("calendar_week", args=[slug]) + f"?day={day.isoformat()}",
        reverse("calendar_list", args=[slug]) + f"?day={day.isoformat()}&colour=network",
        reverse("calendar_settings", args=[slug]),
    ]
    found = [problem for path in pages for problem in problems_on(page, path)]
    assert found == [], "\n".join(found)
