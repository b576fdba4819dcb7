"""A post says where it stands: draft, scheduled for a time in a zone, published, failed, not
confirmed, being sent; in the title of its page and in the list of posts."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from townsquare.content.actions import PostInput, do_save_post
from townsquare.content.post_status import format_wall, post_status
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(membership, workspace_a):
    accounts = [
        SocialAccount.objects.create(workspace=workspace_a, network=n, handle=f"@{n}")
        for n in ("mastodon", "bluesky")
    ]
    return do_save_post(membership, PostInput(text="Hallo"), [a.pk for a in accounts])


def publish_as(post, *statuses, **fields):
    for variant, status in zip(post.variants.order_by("account__network"), statuses, strict=False):
        Publication.objects.create(
            workspace=post.workspace,
            post=post,
            variant=variant,
            account=variant.account,
            status=status,
            due_at=datetime(2031, 12, 12, 8, 0, tzinfo=UTC),
            local_due="2031-12-12T09:00",
            time_zone="Europe/Berlin",
            **fields,
        )


def title(post):
    return post_status(Publication.objects.filter(post=post), "Europe/Berlin").title


def test_the_time_is_written_as_people_read_it_with_the_year_only_when_needed():
    friday = datetime(2026, 12, 11, 9, 0)
    assert format_wall(friday, datetime(2026, 12, 6, 22, 0)) == "Fri 11 Dec, 09:00"
    assert format_wall(friday, datetime(2025, 12, 6, 22, 0)) == "Fri 11 Dec 2026, 09:00"
    with translation.override("de"):
        assert format_wall(friday, datetime(2026, 12, 6, 22, 0)) == "Fr., 11. Dez., 09:00"


def test_a_post_without_publications_is_a_draft(post):
    assert title(post) == "Draft"


def test_a_scheduled_post_names_its_time_and_zone(post):
    publish_as(post, Status.SCHEDULED, Status.SCHEDULED)
    status = post_status(Publication.objects.filter(post=post), "Europe/Berlin")
    assert status.title == "Scheduled for Fri 12 Dec 2031, 09:00 (Europe/Berlin)"
    assert status.when == datetime(2031, 12, 12, 9, 0)


def test_a_published_post_says_when_it_went_out(post):
    publish_as(
        post,
        Status.PUBLISHED,
        Status.PUBLISHED,
        published_at=datetime(2031, 12, 12, 8, 1, tzinfo=UTC),
    )
    assert title(post) == "Published on Fri 12 Dec 2031, 09:01 (Europe/Berlin)"


def test_a_failure_is_named_before_the_schedule_of_the_other_accounts(post):
    publish_as(post, Status.SCHEDULED, Status.FAILED)
    assert title(post) == "Failed on Mastodon"


def test_an_unconfirmed_outcome_asks_for_a_look(post):
    publish_as(post, Status.UNKNOWN, Status.PUBLISHED)
    assert title(post) == "Not confirmed by Bluesky: please check"


def test_a_post_being_sent_says_so(post):
    publish_as(post, Status.PUBLISHING, Status.SCHEDULED)
    assert title(post) == "Being published right now"


def test_a_cancelled_schedule_is_a_draft_again(post):
    publish_as(post, Status.CANCELLED, Status.CANCELLED)
    assert title(post) == "Draft"


def test_the_list_of_posts_shows_each_posts_status(alice_client, workspace_a, post):
    publish_as(post, Status.FAILED, Status.SCHEDULED)
    html = alice_client.get(f"/w/{workspace_a.slug}/posts/").content.decode()
    assert '<span class="status status-failed">Failed on Bluesky</span>' in html
    assert "(Europe/Berlin)" in html


def test_the_post_page_is_titled_with_its_status(alice_client, workspace_a, post):
    publish_as(post, Status.PUBLISHED, Status.FAILED)
    html = alice_client.get(f"/w/{workspace_a.slug}/posts/{post.pk}/").content.decode()
    assert ">Failed on Mastodon</h1>" in html
