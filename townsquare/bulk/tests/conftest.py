from datetime import time

import pytest

from townsquare.networks.models import SocialAccount
from townsquare.planning.models import Campaign, Pillar
from townsquare.queues.models import Slot


@pytest.fixture
def accounts(workspace_a):
    """Three accounts, each with a posting slot every day at 10:00 (rows without a time
    go to the queue)."""
    made = {
        network: SocialAccount.objects.create(workspace=workspace_a, network=network, handle=handle)
        for network, handle in (
            ("x", "@alphakaffee"),
            ("mastodon", "@alpha@social.example"),
            ("bluesky", "alpha.bsky.social"),
        )
    }
    for account in made.values():
        for weekday in range(7):
            Slot.objects.create(
                workspace=workspace_a, account=account, weekday=weekday, time=time(10)
            )
    return made


@pytest.fixture
def campaign(workspace_a):
    return Campaign.objects.create(
        workspace=workspace_a, name="Herbströstung", starts_on="2026-01-01", ends_on="2027-12-31"
    )


@pytest.fixture
def pillar(workspace_a):
    return Pillar.objects.create(workspace=workspace_a, name="Hinter der Theke", target_share=30)


IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def run_tasks(settings, django_capture_on_commit_callbacks):
    """`with run_tasks():` runs the background tasks enqueued inside, as a worker would
    once the request's transaction committed."""
    settings.TASKS = IMMEDIATE
    return lambda: django_capture_on_commit_callbacks(execute=True)
