"""Polling accounts' inboxes: failures are told in words and backed off, polling stops after
repeated failures until a person acts, and one poll runs per account at a time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from townsquare.audit.models import AuditEvent
from townsquare.inbox import ingest, ingest_polls
from townsquare.inbox.ingest import MAX_FAILURES, ingest_account
from townsquare.inbox.ingest_actions import do_retry_polling
from townsquare.inbox.ingest_polls import claim_due, poll_inbox
from townsquare.inbox.models import InboxCursor, Message
from townsquare.networks.base import InboxMessage, Reauth, Rejected, RetryLater
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.workspaces.models import Membership

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def said(message_id, text):
    return InboxMessage(
        network_message_id=message_id,
        conversation_id=message_id,
        kind="mention",
        author_handle="jana.example",
        author_name="Jana",
        text=text,
        created_at=T0,
    )


class FailingInbox:
    def __init__(self, *errors):
        self.errors = list(errors)

    def fetch_inbox(self, creds, cursor):
        error = self.errors.pop(0) if self.errors else None
        if error is not None:
            raise error
        return [said("ok-1", "Endlich wieder da?")], "next"

    def reply(self, creds, message, text):
        raise NotImplementedError


@pytest.fixture
def account(workspace_a):
    account = SocialAccount.objects.create(
        workspace=workspace_a, network="bluesky", handle="@kaffee.bsky.social"
    )
    store_credentials(account, {"access_token": "token", "instance_url": "http://127.0.0.1:1"})
    return account


def cursor_of(account):
    return InboxCursor.objects.get(account=account)


def test_a_login_the_network_refuses_stops_polling_and_asks_for_a_reconnect(account):
    outcome = ingest_account(account, source=FailingInbox(Reauth("expired")))
    cursor = cursor_of(account)
    account.refresh_from_db()
    assert outcome.paused and cursor.paused_at is not None and cursor.next_poll_at is None
    assert account.needs_reconnect
    # In the workspace's language (Alpha Kaffee speaks German).
    assert "Verbinden Sie das Konto erneut" in cursor.last_error


def test_a_rate_limit_waits_at_least_as_long_as_the_network_asked(account):
    before = timezone.now()
    ingest_account(account, source=FailingInbox(RetryLater("slow down", after=900)))
    cursor = cursor_of(account)
    assert cursor.failures == 1 and cursor.paused_at is None
    assert cursor.next_poll_at >= before + timedelta(seconds=900)


def test_broken_json_is_told_in_words_and_loses_nothing(account):
    broken = json.JSONDecodeError("Expecting value", "<html>", 0)
    outcome = ingest_account(account, source=FailingInbox(broken))
    cursor = cursor_of(account)
    assert cursor.cursor == "" and cursor.failures == 1
    assert "JSONDecodeError" not in cursor.last_error and "Expecting" not in cursor.last_error
    assert cursor.last_error == outcome.error and len(cursor.last_error) > 40
    assert ingest_account(account, source=FailingInbox()).stored == 1
    assert cursor_of(account).cursor == "next" and cursor_of(account).last_error == ""


def test_the_pause_after_failures_grows_and_polling_stops_after_the_last(account):
    errors = [Rejected("the server is confused")] * MAX_FAILURES
    source = FailingInbox(*errors)
    pauses = []
    for attempt in range(1, MAX_FAILURES + 1):
        now = timezone.now()
        outcome = ingest_account(account, source=source, now=now)
        cursor = cursor_of(account)
        assert cursor.failures == attempt
        if attempt < MAX_FAILURES:
            assert not outcome.paused
            pauses.append(cursor.next_poll_at - now)
        assert "the server is confused" in cursor.last_error
    assert pauses == sorted(pauses) and pauses[0] < pauses[-1]
    cursor = cursor_of(account)
    assert cursor.paused_at is not None and cursor.next_poll_at is None
    assert str(MAX_FAILURES) in cursor.last_error


def test_try_again_resumes_polling_now_and_is_audited(account, membership, workspace_a, bob):
    ingest_account(account, source=FailingInbox(Reauth("revoked")))
    cursor = do_retry_polling(membership, account.pk)
    assert cursor.paused_at is None and cursor.failures == 0
    assert cursor.next_poll_at <= timezone.now()
    assert AuditEvent.objects.filter(action="inbox.polling_retry").count() == 1
    viewer = Membership.objects.get(workspace=workspace_a, user=bob)
    viewer.role = "viewer"
    viewer.save()
    with pytest.raises(PermissionDenied):
        do_retry_polling(viewer, account.pk)


def test_an_account_connected_again_is_polled_again(account):
    ingest_account(account, source=FailingInbox(Reauth("revoked")))
    SocialAccount.objects.filter(pk=account.pk).update(
        needs_reconnect=False, connected_at=timezone.now() + timedelta(seconds=1)
    )
    assert ingest_polls.resume_reconnected(timezone.now()) == 1
    assert cursor_of(account).paused_at is None


def test_a_due_account_is_claimed_by_one_scheduler_and_polled_by_its_task(account, monkeypatch):
    monkeypatch.setattr(ingest, "inbox_source_of", lambda account: FailingInbox())
    now = timezone.now()
    assert ingest_polls.ensure_cursors(ingest_polls.inbox_networks(), now) == 1
    InboxCursor.objects.filter(account=account).update(next_poll_at=now - timedelta(seconds=1))
    claimed = claim_due(now)
    assert [cursor_id for cursor_id, _until in claimed] == [cursor_of(account).pk]
    assert claim_due(now) == [], "a claimed poll is not claimed again"
    cursor_id, until = claimed[0]
    # A task that lost its claim (another poll was claimed meanwhile) does nothing.
    assert poll_inbox.call(cursor_id, (until - timedelta(seconds=5)).isoformat()) == "not held"
    assert poll_inbox.call(cursor_id, until.isoformat()) == "stored 1"
    assert Message.objects.filter(account=account).count() == 1
    cursor = cursor_of(account)
    assert cursor.next_poll_at > timezone.now() and cursor.cursor == "next"


def test_accounts_without_a_login_or_an_inbox_are_not_polled(workspace_a, account):
    SocialAccount.objects.create(workspace=workspace_a, network="mastodon", handle="@no-login")
    SocialAccount.objects.create(workspace=workspace_a, network="instagram", handle="@insta")
    networks = ingest_polls.inbox_networks()
    assert "bluesky" in networks and "testnet" not in networks
    assert ingest_polls.ensure_cursors(networks, timezone.now()) == 1
    assert list(InboxCursor.objects.values_list("account_id", flat=True)) == [account.pk]
