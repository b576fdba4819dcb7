"""The calendar's list shows a few posts per day and "and N more", leading to that day's
list with every post, in English and German."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.calendars.views import LIST_TILES_PER_DAY
from townsquare.content.models import Post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(workspace_a):
    """A day next month with LIST_TILES_PER_DAY + 7 posts, and one post the day after."""
    account = SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="b")
    start = timezone.now().date().replace(day=1) + timedelta(days=40)
    day = start.replace(day=10)
    for n in range(LIST_TILES_PER_DAY + 7):
        _publication(workspace_a, account, datetime(day.year, day.month, day.day, 7, n, tzinfo=UTC))
    _publication(
        workspace_a, account, datetime(day.year, day.month, day.day + 1, 9, 0, tzinfo=UTC), "Ruhe"
    )
    return day


def _publication(workspace, account, when, text=""):
    post = Post.objects.create(
        workspace=workspace, master_text=text or f"Beitrag um {when:%H:%M}", language="de"
    )
    Publication.objects.create(
        workspace=workspace, post=post, account=account, status="scheduled", due_at=when
    )


def _list(client, workspace, day, language="en", **query):
    address = reverse("calendar_list", kwargs={"workspace": workspace.slug})
    return client.get(address, {"day": day.isoformat(), **query}, HTTP_ACCEPT_LANGUAGE=language)


def test_a_busy_day_shows_the_first_posts_and_how_many_more(alice_client, workspace_a, busy_day):
    page = _list(alice_client, workspace_a, busy_day).content.decode()
    assert page.count("cal-tile ") == LIST_TILES_PER_DAY + 1, "the next day's post too"
    assert "and 7 more posts" in page
    assert "Beitrag um 07:00" in page
    assert f"Beitrag um 07:{LIST_TILES_PER_DAY - 1:02d}" in page
    assert f"Beitrag um 07:{LIST_TILES_PER_DAY:02d}" not in page
    assert f"day={busy_day.isoformat()}&amp;span=day" in page


def test_the_days_list_shows_every_post_of_that_day(alice_client, workspace_a, busy_day):
    page = _list(alice_client, workspace_a, busy_day, span="day").content.decode()
    assert page.count("cal-tile ") == LIST_TILES_PER_DAY + 7, "only that day, all of it"
    assert "more posts" not in page
    assert "Ruhe" not in page
    assert "Next day" in page and "Whole month" in page
    following = _list(alice_client, workspace_a, busy_day + timedelta(days=1), span="day")
    assert following.content.decode().count("cal-tile ") == 1


def test_the_cap_and_the_days_list_in_german(alice_client, alice, workspace_a, busy_day):
    alice.language = "de"
    alice.save()
    page = _list(alice_client, workspace_a, busy_day, "de").content.decode()
    assert "und 7 weitere Beiträge" in page
    empty = _list(alice_client, workspace_a, busy_day + timedelta(days=2), "de", span="day")
    assert "An diesem Tag ist nichts geplant." in empty.content.decode()


def test_filters_are_kept_on_the_way_to_the_day(alice_client, workspace_a, busy_day):
    page = _list(alice_client, workspace_a, busy_day, network="bluesky").content.decode()
    assert "network=bluesky&amp;span=day" in page
    none = _list(alice_client, workspace_a, busy_day, network="mastodon", span="day")
    assert none.content.decode().count("cal-tile ") == 0
    # The day's own filter form and links keep it a day's list.
    day_page = none.content.decode()
    assert '<input type="hidden" name="span" value="day">' in day_page
    assert "colour=network&amp;span=day" in day_page
