"""The scheduler's collection job: which accounts are collected, one collection per account
at a time, the first (the backfill) soon after an account is connected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from townsquare.analytics import collection
from townsquare.analytics.collection import metrics_networks
from townsquare.analytics.collection_jobs import (
    FIRST_READ_SPREAD,
    LEASE,
    claim_due,
    collect_metrics,
    enqueue_due_collections,
    ensure_states,
    seconds_until_next_collection,
)
from townsquare.analytics.models import AccountSnapshot, CollectionState
from townsquare.analytics.tests import collection_world
from townsquare.analytics.tests.collection_world import NOW, Scripted, connect, reading
from townsquare.networks.models import SocialAccount

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_limits")]
mastodon_account = collection_world.mastodon_account
generous_limits = collection_world.generous_limits


@pytest.fixture
def network_answers(monkeypatch):
    """Collections started by the job read from this script instead of the network."""
    source = Scripted()
    monkeypatch.setattr(collection, "metrics_source_of", lambda account: source)
    return source


def test_a_connected_account_is_first_collected_within_minutes_of_being_noticed(
    mastodon_account,
):
    ensure_states(metrics_networks(), NOW)  # what each pass does first
    state = CollectionState.objects.get(account=mastodon_account)
    assert NOW <= state.next_due_at < NOW + FIRST_READ_SPREAD
    assert state.backfilled_at is None


def test_only_active_connected_accounts_with_a_working_login_on_a_network_read_are_collected(
    workspace_a, mastodon_account
):
    SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@never")
    SocialAccount.objects.create(workspace=workspace_a, network="instagram", handle="kaffee")
    broken = connect(workspace_a, handle="@broken@mastodon.example")
    SocialAccount.objects.filter(pk=broken.pk).update(needs_reconnect=True)
    gone = connect(workspace_a, handle="@gone@mastodon.example")
    SocialAccount.objects.filter(pk=gone.pk).update(removed_at=NOW)
    claim_due(NOW)
    assert list(CollectionState.objects.values_list("account_id", flat=True)) == [
        mastodon_account.pk
    ]


def test_a_due_account_is_claimed_once_and_its_task_collects_it(mastodon_account, network_answers):
    ensure_states(metrics_networks(), NOW)
    later = NOW + FIRST_READ_SPREAD
    [(state_id, until)] = claim_due(later)
    assert claim_due(later) == [], "claimed already"
    network_answers.answers.append([reading("", followers=7)])
    assert collect_metrics.call(state_id, until.isoformat()).startswith("stored")
    assert AccountSnapshot.objects.get(account=mastodon_account).followers == 7
    state = CollectionState.objects.get(pk=state_id)
    assert state.backfilled_at is not None and state.next_due_at > NOW + timedelta(hours=2)


def test_a_task_that_lost_its_claim_does_nothing(mastodon_account, network_answers):
    ensure_states(metrics_networks(), NOW)
    [(state_id, until)] = claim_due(NOW + FIRST_READ_SPREAD)
    CollectionState.objects.filter(pk=state_id).update(next_due_at=until + LEASE)
    assert collect_metrics.call(state_id, until.isoformat()) == "not held"
    assert network_answers.asked_since == []


def test_the_job_is_registered_and_says_when_it_next_has_work(mastodon_account):
    from townsquare.runtime.scheduler import autodiscover, registered_jobs

    autodiscover()
    assert enqueue_due_collections in registered_jobs()
    ensure_states(metrics_networks(), NOW)
    due_in = seconds_until_next_collection(NOW)
    assert due_in is not None and due_in <= FIRST_READ_SPREAD.total_seconds()
