"""The demo's accounts show collection states that look alive, and the one whose login was
revoked shows why its figures stopped, in the workspace's language."""

from __future__ import annotations

import pytest
from django.utils import timezone

from townsquare.analytics.collection_schedule import ACCOUNT_EVERY
from townsquare.analytics.freshness import freshness
from townsquare.analytics.models import CollectionState
from townsquare.demo.accounts import seed_accounts
from townsquare.demo.collection_states import seed_collection_states
from townsquare.demo.connections import seed_connections
from townsquare.demo.content import seed_content
from townsquare.demo.media import seed_media
from townsquare.demo.people import seed_people
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_media(workspaces)
    seed_content(workspaces)
    seed_connections(workspaces)
    seed_collection_states(workspaces)
    return user, workspaces


def test_every_demo_account_was_read_within_the_last_interval_except_the_revoked_one(demo):
    _user, workspaces = demo
    now = timezone.now()
    accounts = SocialAccount.objects.filter(workspace__in=workspaces)
    assert CollectionState.objects.filter(account__in=accounts).count() == accounts.count()
    alive = CollectionState.objects.filter(account__in=accounts, last_error_code="")
    assert alive.count() == accounts.count() - 1
    for state in alive:
        assert now - ACCOUNT_EVERY < state.last_success_at < now
        assert state.backfilled_at and state.next_due_at > state.last_success_at


def test_the_revoked_demo_login_shows_a_stopped_collection_with_its_reason_in_german(demo):
    user, workspaces = demo
    morgenrot = next(w for w in workspaces if w.name == "Morgenrot Kaffeerösterei")
    fresh = freshness(Membership.objects.get(user=user, workspace=morgenrot))
    assert fresh.has_problem and fresh.stopped and fresh.problem_code == "reauth"
    assert "Verbinden Sie das Konto erneut" in fresh.problem
    assert fresh.failing_since is not None and fresh.read_at is not None


def test_seeding_twice_changes_nothing(demo):
    _user, workspaces = demo
    before = list(CollectionState.objects.order_by("pk").values())
    seed_collection_states(workspaces)
    assert list(CollectionState.objects.order_by("pk").values()) == before
