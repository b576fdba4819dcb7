"""Every failure of a collection ends on the account's CollectionState in words a person can
act on; a network asking to wait is backed off, a refused login stops collecting until the
account is connected again, which keeps its history; nothing retries in a loop."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from townsquare.analytics.collection import MAX_FAILURES, collect_account, collection_limits
from townsquare.analytics.collection_jobs import claim_due, resume_reconnected
from townsquare.analytics.models import AccountSnapshot, CollectionState, PostSnapshot, TrackedPost
from townsquare.analytics.tests import collection_world
from townsquare.analytics.tests.collection_world import (
    NOW,
    STATUSES,
    VERIFY,
    Scripted,
    published,
    reading,
)
from townsquare.networks.base import Reauth, Rejected, RetryLater
from townsquare.networks.mastodon.tests.captured import FakeInstance, answer
from townsquare.networks.models import SocialAccount
from townsquare.ratelimits.defaults import ACCOUNT
from townsquare.ratelimits.limiter import acquire_all
from townsquare.ratelimits.window import Rate
from townsquare.workspaces.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_limits")]
mastodon_account = collection_world.mastodon_account
generous_limits = collection_world.generous_limits


@pytest.fixture
def english_account(workspace_b):
    """An account of workspace B, which speaks English: its reasons are read here as written."""
    return collection_world.connect(workspace_b)


POST_URI = "at://did:plc:kaffee/app.bsky.feed.post/1"


def state(account) -> CollectionState:
    return CollectionState.objects.get(account=account)


def test_a_network_asking_to_wait_is_backed_off_at_least_as_long_as_it_asked(english_account):
    fake = FakeInstance(
        {
            VERIFY: answer("accounts_verify_credentials__ok_200.json"),
            STATUSES: httpx.Response(429, headers={"Retry-After": "3600"}, json={"error": "slow"}),
        }
    )
    outcome = collect_account(english_account, source=fake.connector(), now=NOW)
    assert outcome.error_code == "retry_later" and not outcome.stopped
    row = state(english_account)
    assert row.consecutive_failures == 1 and row.failing_since == NOW and row.last_error_at == NOW
    assert "reads the figures again later by itself" in row.last_error
    assert row.next_due_at >= NOW + timedelta(seconds=3600)
    # Every worker holds this account back until then (its own collection window only).
    assert acquire_all(collection_limits(english_account)) > 3000
    assert not AccountSnapshot.objects.exists(), "nothing half-stored"


def test_an_answer_that_cannot_be_read_is_told_as_such_and_tried_again(english_account):
    fake = FakeInstance({VERIFY: httpx.Response(200, text="<html>maintenance</html>")})
    outcome = collect_account(english_account, source=fake.connector(), now=NOW)
    assert outcome.error_code == "unreadable" and not outcome.stopped
    assert "could not read" in state(english_account).last_error


def test_waiting_never_stops_collection_but_the_streak_stays_visible(mastodon_account):
    source = Scripted([RetryLater("busy")] * (MAX_FAILURES + 2))
    for n in range(MAX_FAILURES + 2):
        outcome = collect_account(mastodon_account, source=source, now=NOW + timedelta(hours=n))
    row = state(mastodon_account)
    assert not outcome.stopped and row.next_due_at is not None
    assert row.consecutive_failures == MAX_FAILURES + 2 and row.failing_since == NOW


def test_refusals_in_a_row_stop_collection_until_a_person_acts(english_account):
    source = Scripted([Rejected("Forbidden for this app")] * MAX_FAILURES)
    for n in range(MAX_FAILURES):
        outcome = collect_account(english_account, source=source, now=NOW + timedelta(hours=n))
    row = state(english_account)
    assert outcome.stopped and row.next_due_at is None and row.last_error_code == "rejected"
    assert "Forbidden for this app" in row.last_error and "“Try again now”" in row.last_error


def test_a_refused_login_marks_the_account_and_stops_with_a_clear_message(english_account):
    outcome = collect_account(english_account, source=Scripted([Reauth("revoked")]), now=NOW)
    assert outcome.stopped and outcome.error_code == "reauth"
    row = state(english_account)
    assert row.next_due_at is None and "Connect the account again" in row.last_error
    english_account.refresh_from_db()
    assert english_account.needs_reconnect
    assert claim_due(NOW + timedelta(days=1)) == [], "no silent retries"


def test_failure_reasons_are_in_the_workspaces_language(workspace_a):
    account = collection_world.connect(workspace_a)  # workspace A speaks German
    collect_account(account, source=Scripted([Reauth("revoked")]), now=NOW)
    assert "Verbinden Sie das Konto erneut" in state(account).last_error


def test_counters_that_cannot_be_stored_are_read_again_later(mastodon_account, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("townsquare.analytics.collection.store_readings", broken)
    outcome = collect_account(mastodon_account, source=Scripted([[reading("")]]), now=NOW)
    assert outcome.error_code == "storing_failed" and not outcome.stopped
    assert state(mastodon_account).next_due_at is not None


def test_a_network_whose_names_no_map_translates_stops_with_a_reason(mastodon_account):
    outcome = collect_account(mastodon_account, source=Scripted([[reading("")]]), now=NOW, maps={})
    assert outcome.stopped and outcome.error_code == "no_metric_map"


def test_full_rate_limit_windows_wait_without_counting_as_a_failure(mastodon_account, settings):
    settings.ANALYTICS_COLLECTION_RATES = {"mastodon": [(ACCOUNT, Rate(1, 3600))]}
    source = Scripted([[reading("")], [reading("")]])
    collect_account(mastodon_account, source=source, now=NOW)
    outcome = collect_account(mastodon_account, source=source, now=NOW)
    assert outcome.waited > 0 and outcome.error == ""
    row = state(mastodon_account)
    assert row.consecutive_failures == 0 and row.last_error == ""
    assert row.next_due_at > NOW + timedelta(minutes=30)
    assert len(source.asked_since) == 1, "the network was not asked"


def test_a_reconnected_account_keeps_its_history_and_is_collected_again(
    membership, workspace_a, settings
):
    from townsquare.networks.bluesky.actions import do_connect_bluesky
    from townsquare.networks.bluesky.xrpc import Session

    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    settings.ANALYTICS_COLLECTION_RATES = {"bluesky": [(ACCOUNT, Rate(10_000, 1))]}

    class Pds:
        def create_session(self, service, identifier, password):
            return Session("did:plc:kaffee", "kaffee.test", "a.b.c", "r.e.f", service)

    class Connector:
        xrpc = Pds()

    def connect():
        return do_connect_bluesky(
            membership,
            handle="kaffee.test",
            app_password="abcd-efgh-ijkl-mnop",
            service_url="http://127.0.0.1:2583",
            connector=Connector(),
        )

    account = connect()
    published(account, POST_URI, NOW - timedelta(days=3))
    source = Scripted(
        [
            [
                reading("", followers=10),
                reading("at://did:plc:kaffee/app.bsky.feed.post/1", likes=2),
            ],
            Reauth("The app password was revoked"),
            [
                reading("", followers=11),
                reading("at://did:plc:kaffee/app.bsky.feed.post/1", likes=5),
            ],
        ]
    )
    collect_account(account, source=source, now=NOW - timedelta(hours=2))
    collect_account(account, source=source, now=NOW - timedelta(hours=1))
    assert state(account).next_due_at is None

    again = connect()
    assert again.pk == account.pk, "reconnecting keeps the account's row"
    assert resume_reconnected(again.connected_at) == 1
    assert state(account).next_due_at is not None and state(account).consecutive_failures == 0
    # A day on, when the post is due again.
    collect_account(again, source=source, now=NOW + timedelta(days=1))

    row = state(account)
    assert row.last_error == "" and row.failing_since is None and row.next_due_at is not None
    [tracked] = TrackedPost.objects.filter(account=account)
    assert tracked.likes == 5 and PostSnapshot.objects.filter(post=tracked).count() == 2
    assert AccountSnapshot.objects.filter(account=account).count() >= 1
    assert SocialAccount.objects.filter(workspace=workspace_a, network="bluesky").count() == 1


def test_a_removed_account_is_no_longer_collected_and_keeps_its_history(
    mastodon_account, membership
):
    from townsquare.networks.actions import do_remove_account

    collect_account(mastodon_account, source=Scripted([[reading("", followers=3)]]), now=NOW)
    CollectionState.objects.filter(account=mastodon_account).update(next_due_at=NOW)
    owner = Membership.objects.get(pk=membership.pk)
    do_remove_account(owner, mastodon_account)
    assert claim_due(NOW + timedelta(days=1)) == []
    assert AccountSnapshot.objects.filter(account=mastodon_account).count() == 1
