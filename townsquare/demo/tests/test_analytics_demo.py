"""The demo's analytics history: two years for every account of both demo workspaces, the
published demo posts tracked and linked to their publications, excerpts in the workspace's
language; a second run on the same day adds nothing, a run on a later day moves the history
to end on that day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.analytics.models import AccountSnapshot, PostSnapshot, TrackedPost
from townsquare.demo import analytics
from townsquare.demo.accounts import seed_accounts
from townsquare.demo.analytics import seed_analytics
from townsquare.demo.calendar import seed_calendar
from townsquare.demo.people import seed_people
from townsquare.demo.planning import seed_plan
from townsquare.networks.models import SocialAccount
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setattr(analytics, "POSTS_PER_WORKSPACE", 150)
    monkeypatch.setattr(analytics, "HISTORY_DAYS", 200)
    _user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_plan(workspaces)
    seed_calendar(workspaces)
    return workspaces


def test_every_demo_account_has_a_snapshot_a_day_and_published_posts_are_tracked(demo):
    seed_analytics(demo)
    for workspace in demo:
        accounts = SocialAccount.objects.filter(workspace=workspace).count()
        assert AccountSnapshot.objects.filter(workspace=workspace).count() == accounts * 200
        published = Publication.objects.filter(workspace=workspace, status="published")
        assert published.exists()
        assert not published.filter(tracked_post=None).exists()
        tracked = TrackedPost.objects.filter(workspace=workspace)
        assert tracked.filter(publication=None).count() == 150
    german = TrackedPost.objects.filter(workspace__language="de").values_list(
        "text_excerpt", flat=True
    )
    english = TrackedPost.objects.filter(workspace__language="en").values_list(
        "text_excerpt", flat=True
    )
    assert any("Kaffee" in text for text in german)
    assert any("trail" in text.lower() for text in english)
    assert not any("Kaffee" in text for text in english)


def test_a_second_run_on_the_same_day_adds_nothing_and_a_later_day_ends_there(demo):
    seed_analytics(demo)
    counts = (TrackedPost.objects.count(), PostSnapshot.objects.count())
    seed_analytics(demo)
    assert (TrackedPost.objects.count(), PostSnapshot.objects.count()) == counts
    later = timezone.now() + timedelta(days=2)
    seed_analytics(demo, now=later)
    assert TrackedPost.objects.count() == counts[0]
    newest = AccountSnapshot.objects.order_by("-day").values_list("day", flat=True).first()
    assert newest >= (later - timedelta(hours=14)).date()
    assert AccountSnapshot.objects.filter(workspace=demo[0]).count() == (
        SocialAccount.objects.filter(workspace=demo[0]).count() * 200
    )
