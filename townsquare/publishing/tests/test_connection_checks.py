"""Logins are checked ahead of the posts that need them, so a revoked one is found in time."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from townsquare.content.actions import PostInput, do_save_post
from townsquare.networks.credentials import store_credentials
from townsquare.networks.models import SocialAccount
from townsquare.publishing import connection_checks
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.connection_checks import (
    accounts_to_check,
    check_account_connection,
    enqueue_connection_checks,
)
from townsquare.publishing.connection_warnings import at_risk
from townsquare.publishing.models import Publication

pytestmark = pytest.mark.django_db


def schedule(membership, account, hours):
    post = do_save_post(membership, PostInput(text="Bald geplant.", language="de"), [account.pk])
    wall = (timezone.now() + timedelta(hours=hours)).astimezone(UTC).replace(tzinfo=None)
    do_schedule_post(membership, post, wall, "UTC")


def test_a_working_login_is_noted(testnet_account):
    assert check_account_connection.call(testnet_account.pk) == "ok"
    testnet_account.refresh_from_db()
    assert testnet_account.last_success_at is not None and not testnet_account.needs_reconnect


def test_a_revoked_login_is_found_before_the_post_is_due(membership, testnet_account, network):
    schedule(membership, testnet_account, hours=3)
    network.set_faults(reauth_for_accounts=("alpha",))
    assert check_account_connection.call(testnet_account.pk) == "reauth"
    testnet_account.refresh_from_db()
    assert testnet_account.needs_reconnect
    assert [item.code for item in at_risk(Publication.objects.all())] == ["needs_reconnect"]
    assert len(network.stats()["posts"]) == 0  # a check never posts


def test_a_network_that_cannot_answer_changes_nothing(testnet_account):
    store_credentials(
        testnet_account, {"access_token": "t", "instance_url": "http://127.0.0.1:9"}
    )  # nothing listens on port 9
    assert check_account_connection.call(testnet_account.pk) == "unknown"
    testnet_account.refresh_from_db()
    assert not testnet_account.needs_reconnect and testnet_account.last_success_at is None


def test_unconnected_accounts_are_not_checked(workspace_a):
    planned = SocialAccount.objects.create(workspace=workspace_a, network="x", handle="@plan")
    assert check_account_connection.call(planned.pk) == "gone"


def test_which_accounts_are_checked(membership, testnet_account, workspace_a):
    assert accounts_to_check() == []  # nothing due
    schedule(membership, testnet_account, hours=30)
    assert accounts_to_check() == []  # due, but not within a day
    schedule(membership, testnet_account, hours=2)
    assert accounts_to_check() == [testnet_account.pk]
    testnet_account.last_success_at = timezone.now() - timedelta(hours=1)
    testnet_account.save()
    assert accounts_to_check() == []  # worked an hour ago
    testnet_account.last_success_at = timezone.now() - timedelta(hours=7)
    testnet_account.save()
    assert accounts_to_check() == [testnet_account.pk]
    testnet_account.needs_reconnect = True
    testnet_account.save()
    assert accounts_to_check() == []  # already known to be broken


def test_a_scheduler_asks_once_an_hour_per_account(membership, testnet_account, monkeypatch):
    monkeypatch.setattr(connection_checks, "_asked", {})
    schedule(membership, testnet_account, hours=2)
    assert enqueue_connection_checks("default", clock=10_000.0) == [testnet_account.pk]
    assert enqueue_connection_checks("default", clock=10_600.0) == []
    assert enqueue_connection_checks("default", clock=13_700.0) == [testnet_account.pk]


@pytest.mark.django_db(transaction=True)  # the two schedulers' threads need committed rows
def test_two_schedulers_warning_at_once_tell_people_once(membership, testnet_account, alice):
    import threading

    from django.db import connection

    from townsquare.notifications.models import Notification
    from townsquare.publishing.connection_warnings import notify_accounts_at_risk

    schedule(membership, testnet_account, hours=2)
    testnet_account.needs_reconnect = True
    testnet_account.save()
    start = threading.Barrier(2)
    sent: list[int] = []

    def scheduler() -> None:
        try:
            start.wait()
            sent.append(notify_accounts_at_risk())
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [0, 1]
    assert Notification.objects.filter(kind="connection_problem", recipient=alice).count() == 1
