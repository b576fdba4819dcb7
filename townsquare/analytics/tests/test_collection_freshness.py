"""Freshness beside every figure: when the figures were read, and whether collecting them has
a problem; and one workspace never sees another's collection."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404

from townsquare.analytics.access import (
    access_account_snapshots,
    access_collection_states,
    access_tracked_post,
    access_tracked_posts,
)
from townsquare.analytics.collection import collect_account
from townsquare.analytics.freshness import freshness
from townsquare.analytics.models import TrackedPost
from townsquare.analytics.tests import collection_world
from townsquare.analytics.tests.collection_world import NOW, Scripted, connect, published, reading
from townsquare.networks.base import Reauth, RetryLater
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_limits")]
mastodon_account = collection_world.mastodon_account
generous_limits = collection_world.generous_limits


def test_figures_of_accounts_read_say_when_the_oldest_of_them_was_read(
    membership, mastodon_account, workspace_a
):
    second = connect(workspace_a, handle="@zwei@mastodon.example")
    collect_account(mastodon_account, source=Scripted([[reading("")]]), now=NOW)
    collect_account(second, source=Scripted([[reading("")]]), now=NOW + timedelta(hours=1))
    fresh = freshness(membership)
    assert fresh.read_at == NOW and fresh.newest_read_at == NOW + timedelta(hours=1)
    assert fresh.accounts == 2 and fresh.never_read == 0 and not fresh.has_problem
    assert freshness(membership, account=second).read_at == NOW + timedelta(hours=1)


def test_a_failing_account_is_named_with_its_reason_and_since_when(membership, mastodon_account):
    collect_account(mastodon_account, source=Scripted([[reading("")]]), now=NOW)
    source = Scripted([RetryLater("busy"), RetryLater("busy")])
    collect_account(mastodon_account, source=source, now=NOW + timedelta(hours=3))
    collect_account(mastodon_account, source=source, now=NOW + timedelta(hours=4))
    fresh = freshness(membership)
    assert fresh.has_problem and fresh.failing == 1 and not fresh.stopped
    assert fresh.failing_since == NOW + timedelta(hours=3), "the streak's first failure"
    assert fresh.problem_code == "retry_later" and fresh.problem
    assert fresh.problem_account == mastodon_account.label
    assert fresh.read_at == NOW


def test_a_stopped_collection_says_it_waits_for_a_person(membership, mastodon_account):
    collect_account(mastodon_account, source=Scripted([Reauth("revoked")]), now=NOW)
    fresh = freshness(membership)
    assert fresh.stopped and fresh.problem_code == "reauth" and fresh.read_at is None


def test_a_login_found_broken_elsewhere_is_a_collection_problem_too(membership, mastodon_account):
    SocialAccount.objects.filter(pk=mastodon_account.pk).update(needs_reconnect=True)
    fresh = freshness(membership)
    assert fresh.has_problem and fresh.problem_code == "reauth" and fresh.stopped


def test_accounts_on_networks_not_read_are_counted_apart(membership, workspace_a):
    SocialAccount.objects.create(workspace=workspace_a, network="tiktok", handle="kaffee")
    fresh = freshness(membership)
    assert fresh.not_collected == 1 and fresh.accounts == 0 and fresh.read_at is None


def test_one_workspace_never_sees_another_workspaces_collection(
    membership, mastodon_account, workspace_b, carol
):
    theirs = connect(workspace_b, handle="@beta@mastodon.example")
    published(theirs, "b1", NOW - timedelta(days=1))
    collect_account(theirs, source=Scripted([[reading(""), reading("b1", likes=1)]]), now=NOW)
    collect_account(mastodon_account, source=Scripted([RetryLater("busy")]), now=NOW)
    fresh = freshness(membership)
    assert fresh.accounts == 1 and fresh.read_at is None, "only A's account, never read"
    assert freshness(membership, account=theirs).accounts == 0
    assert not access_tracked_posts(membership).exists()
    assert not access_account_snapshots(membership).exists()
    assert list(access_collection_states(membership)) == [mastodon_account.collection_state]
    with pytest.raises(Http404):
        access_tracked_post(membership, TrackedPost.objects.get(account=theirs).pk)
    # Each tracked post belongs to its account's workspace.
    beta = Membership.objects.get(user=carol, workspace=workspace_b)
    assert access_tracked_posts(beta).get().workspace == workspace_b
