from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.models import SocialAccount
from townsquare.publishing.schedule import utc_to_local


@pytest.fixture
def masto(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="mastodon", handle="@alpha@social.example"
    )


@pytest.fixture
def bsky(workspace_a):
    return SocialAccount.objects.create(
        workspace=workspace_a, network="bluesky", handle="alpha.bsky.example"
    )


@pytest.fixture
def make_post(membership, masto):
    def make(text="Hallo Welt, ein Test über Kaffee.", accounts=None):
        ids = [a.pk for a in (accounts or [masto])]
        return do_save_post(membership, PostInput(text=text, language="de"), ids)

    return make


def local_now(workspace):
    return utc_to_local(timezone.now(), workspace.time_zone)


def tomorrow_at(workspace, hour=9, minute=0, days=1):
    day = local_now(workspace).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute))
