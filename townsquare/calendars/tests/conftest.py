from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import utc_to_local


def local_now(workspace):
    return utc_to_local(timezone.now(), workspace.time_zone)


@pytest.fixture
def accounts(workspace_a):
    return [
        SocialAccount.objects.create(workspace=workspace_a, network="bluesky", handle="alpha.bsky"),
        SocialAccount.objects.create(
            workspace=workspace_a, network="mastodon", handle="@alpha@example.social"
        ),
    ]


@pytest.fixture
def schedule(membership, accounts):
    """A post to the given accounts (both by default), scheduled for a wall time."""

    def make(when: datetime, text="Frischer Kaffee aus Hamburg, jeden Morgen.", on=None, **extra):
        post = do_save_post(
            membership,
            PostInput(text=text, language="de"),
            [a.pk for a in (on or accounts)],
        )
        if extra:
            for name, value in extra.items():
                setattr(post, name, value)
            post.save()
        do_schedule_post(membership, post, when)
        return post

    return make


@pytest.fixture
def next_week(workspace_a):
    """A wall time a week ahead at 10:30, in the workspace's zone."""
    return (local_now(workspace_a) + timedelta(days=7)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )


def publish_in_the_past(post, when_utc):
    Publication.objects.filter(post=post).update(
        status="published", due_at=when_utc, published_at=when_utc, run_at=None
    )
