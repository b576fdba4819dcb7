"""The demo's history makes the suggested times real: the accounts of both demo
workspaces are offered best times learned from the workspace's own posts, and an account
whose posts are too few or too spread out says it offers general guidance and why."""

from __future__ import annotations

import pytest

from townsquare.analytics.suggest_composer import composer_suggestions
from townsquare.analytics.suggest_times import account_advice
from townsquare.demo import analytics
from townsquare.demo.accounts import seed_accounts
from townsquare.demo.analytics import seed_analytics
from townsquare.demo.calendar import seed_calendar
from townsquare.demo.people import seed_people
from townsquare.demo.planning import seed_plan
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def test_the_demo_accounts_are_offered_best_times_from_their_history(monkeypatch):
    # Less history than `townsquare demo` makes (3,000 posts over two years), as dense in
    # the last sixteen weeks, so the test stays quick.
    monkeypatch.setattr(analytics, "POSTS_PER_WORKSPACE", 700)
    monkeypatch.setattr(analytics, "HISTORY_DAYS", 170)
    user, workspaces = seed_people("demo-pass-123456")
    seed_accounts(workspaces)
    seed_plan(workspaces)
    seed_calendar(workspaces)
    seed_analytics(workspaces)
    for workspace in workspaces:
        membership = Membership.objects.select_related("workspace").get(
            workspace=workspace, user=user
        )
        accounts = list(SocialAccount.objects.filter(workspace=workspace))
        advice = account_advice(membership, accounts)
        learned = [item for item in advice if not item.general]
        assert len(learned) >= len(accounts) - 1, [(a.who, a.note) for a in advice]
        assert all("of your posts in the last 16 weeks" in item.note for item in learned)
        for item in advice:
            if item.general:
                assert "General guidance" in item.note or "general guidance" in item.note
        found = composer_suggestions(membership, [a.pk for a in accounts])
        assert found is not None and len(found.moments) == 3
