"""The engine against the test network on loopback: every outcome, fenced by the lease."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from townsquare.notifications.models import Notification
from townsquare.publishing.actions import do_cancel_schedule, do_schedule_post, do_settle_unknown
from townsquare.publishing.claim import claim_due, claim_unknown, recover_expired
from townsquare.publishing.models import Publication, PublishingSettings
from townsquare.publishing.tasks import publish_publication, reconcile_publication
from townsquare.testing.waiting import wait_until

# The lease tests mark themselves transaction=True: their lease keeper thread writes through a
# connection of its own, which must see committed rows.
pytestmark = pytest.mark.django_db

LONG = " ".join(f"Satz Nummer {n} über unseren Kaffee aus Leipzig." for n in range(1, 30))


def run_due():
    return [publish_publication.call(pub_id, token) for pub_id, token in claim_due()]


def test_a_due_post_is_published_once_with_its_thread_as_a_reply_chain(
    membership, make_post, network
):
    post = make_post(LONG)
    do_schedule_post(membership, post, None)
    assert run_due() == ["published"]
    pub = Publication.objects.get()
    assert pub.status == "published" and pub.external_url and len(pub.part_ids) >= 3
    posts = network.stats()["posts"]
    assert len(posts) == len(pub.part_ids)
    assert [p["reply_to"] for p in posts[1:]] == [p["id"] for p in posts[:-1]]
    assert pub.attempts.filter(outcome="published").count() == len(pub.part_ids)
    assert run_due() == [], "nothing is claimed twice"


def test_a_rejected_post_fails_with_the_networks_reason_and_people_are_told(
    membership, make_post, network
):
    network.set_faults(reject_texts_containing=("verboten",))
    do_schedule_post(membership, make_post("Das ist verboten."), None)
    assert run_due() == ["rejected"]
    pub = Publication.objects.get()
    assert pub.status == "failed"
    assert pub.error_message, "the network's reason is kept for the person"
    assert network.stats()["posts"] == []
    assert Notification.objects.filter(
        kind="publication_failed", recipient=membership.user
    ).exists()


def test_a_rate_limit_waits_for_the_reset_instead_of_failing(membership, make_post, network):
    network.set_faults(rate_limit={"every_n": 1, "reset_after_s": 2})
    do_schedule_post(membership, make_post(), None)
    before = timezone.now()
    assert run_due() == ["retry"]
    pub = Publication.objects.get()
    assert pub.status == "scheduled" and pub.sending_started_at is None
    assert pub.run_at >= before + timedelta(seconds=1)  # the reset, not at once
    network.set_faults()
    # Every worker now waits for the reset the network named, even if the row is due.
    Publication.objects.update(run_at=timezone.now())
    assert run_due() == ["rate_limited"]

    def once_the_reset_has_passed() -> list[str] | None:
        outcomes = run_due()
        return outcomes if "published" in outcomes else None

    assert wait_until(once_the_reset_has_passed, what="the post after the reset") == ["published"]
    assert len(network.stats()["posts"]) == 1


def test_expired_credentials_fail_and_mark_the_account_for_reconnection(
    membership, make_post, network, testnet_account
):
    network.set_faults(reauth_for_accounts=("alpha",))
    do_schedule_post(membership, make_post(), None)
    assert run_due() == ["reauth"]
    testnet_account.refresh_from_db()
    assert testnet_account.needs_reconnect and testnet_account.last_success_at is None
    assert Publication.objects.get().error_code == "reauth"
    # The login works again (the account was connected anew): the next post clears the flag
    # and the accounts page shows when the account last worked.
    network.set_faults()
    do_schedule_post(membership, make_post("Wieder verbunden."), None)
    assert run_due() == ["published"]
    testnet_account.refresh_from_db()
    assert not testnet_account.needs_reconnect and testnet_account.last_success_at is not None


def test_accepted_then_timed_out_becomes_unknown_then_reconciled_without_sending_twice(
    membership, make_post, network
):
    network.set_faults(accept_then_timeout_rate=1.0, accept_then_timeout_s=3)
    do_schedule_post(membership, make_post(), None)
    assert run_due() == ["unknown"]
    assert Publication.objects.get().status == "unknown"
    network.set_faults()
    claimed = claim_unknown(grace_seconds=0)
    assert [reconcile_publication.call(i, t) for i, t in claimed] == ["published"]
    assert Publication.objects.get().status == "published"
    assert len(network.stats()["posts"]) == 1
    assert (
        network.stats()["requests_by_key"] and max(network.stats()["requests_by_key"].values()) == 1
    )


def test_a_worker_that_died_before_sending_gives_the_row_back(membership, make_post, network):
    do_schedule_post(membership, make_post(), None)
    [(pub_id, token)] = claim_due()
    Publication.objects.filter(pk=pub_id).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert recover_expired() == (1, 0)
    assert publish_publication.call(pub_id, token) == "stale", "the old lease writes nothing"
    assert run_due() == ["published"]


def test_a_worker_that_died_while_sending_leaves_an_unknown_to_reconcile(
    membership, make_post, network
):
    do_schedule_post(membership, make_post(), None)
    [(pub_id, _token)] = claim_due()
    Publication.objects.filter(pk=pub_id).update(
        sending_started_at=timezone.now() - timedelta(minutes=5),
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert recover_expired() == (0, 1)
    claimed = claim_unknown(grace_seconds=0)
    assert [reconcile_publication.call(i, t) for i, t in claimed] == ["rescheduled"], (
        "never arrived"
    )
    assert run_due() == ["published"]


def test_an_edit_after_scheduling_is_what_goes_out(membership, make_post, network):
    from townsquare.content.actions import do_edit_variant

    post = make_post("Alte Fassung.")
    do_schedule_post(membership, post, None)
    do_edit_variant(membership, post.variants.get(), "Neue Fassung.")
    run_due()
    assert [p["text"] for p in network.stats()["posts"]] == ["Neue Fassung."]


def test_a_cancelled_post_never_goes_out(membership, make_post, network):
    post = make_post()
    do_schedule_post(membership, post, None)
    do_cancel_schedule(membership, post)
    assert run_due() == []
    assert network.stats()["posts"] == []


def test_a_late_post_is_held_when_the_workspace_says_so(
    membership, make_post, network, workspace_a
):
    PublishingSettings.objects.create(
        workspace=workspace_a, hold_when_late=True, late_after_minutes=30
    )
    do_schedule_post(membership, make_post(), None)
    Publication.objects.update(due_at=timezone.now() - timedelta(hours=2), run_at=timezone.now())
    assert run_due() == ["held"]
    assert Publication.objects.get().error_code == "held_late"
    assert network.stats()["posts"] == []


def test_a_person_settles_an_unknown_outcome(membership, make_post, network):
    do_schedule_post(membership, make_post(), None)
    Publication.objects.update(status="unknown", needs_person=True)
    pub = do_settle_unknown(
        membership, Publication.objects.get(), published=True, url="https://example.org/p/1"
    )
    assert pub.status == "published" and pub.external_url.endswith("/p/1")


def test_nine_oclock_in_berlin_is_stored_as_the_right_instant_across_the_spring_change(
    membership, make_post
):
    # Next year's change (the last Sunday of March): the past cannot be scheduled.
    year = timezone.now().year + 1
    change = datetime(year, 3, 31) - timedelta(days=(datetime(year, 3, 31).weekday() + 1) % 7)
    [pub] = do_schedule_post(membership, make_post(), change.replace(hour=9), "Europe/Berlin")
    assert pub.due_at.isoformat() == f"{change:%Y-%m-%d}T07:00:00+00:00"
    assert pub.local_due == f"{change:%Y-%m-%d}T09:00" and pub.time_zone == "Europe/Berlin"
    before = change - timedelta(days=1)
    [pub] = do_schedule_post(membership, pub.post, before.replace(hour=9), "Europe/Berlin")
    assert pub.due_at.isoformat() == f"{before:%Y-%m-%d}T08:00:00+00:00"


def test_a_post_with_problems_cannot_be_scheduled(membership, make_post):
    from townsquare.content.actions import do_edit_variant
    from townsquare.lib.errors import ActionError

    post = make_post()
    do_edit_variant(membership, post.variants.get(), "x" * 600)
    with pytest.raises(ActionError):
        do_schedule_post(membership, post, None)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception` handlers."""


def connector_that(monkeypatch, network_then):
    """The real connector, with `network_then(real_publish, *args)` in place of publish."""
    from townsquare.publishing import tasks
    from townsquare.publishing.sending import connector_for

    def wrapped(account):
        real = connector_for(account)

        class Connector:
            capabilities = real.capabilities
            find_published = real.find_published

            def publish(self, *args):
                return network_then(real.publish, *args)

        return Connector()

    monkeypatch.setattr(tasks, "connector_for", wrapped)


def test_a_task_delivered_again_after_its_worker_died_mid_send_never_sends_twice(
    membership, make_post, network, monkeypatch
):
    def send_then_die(publish, *args):
        publish(*args)
        raise WorkerKilled

    do_schedule_post(membership, make_post(), None)
    [(pub_id, token)] = claim_due()
    connector_that(monkeypatch, send_then_die)
    with pytest.raises(WorkerKilled):
        publish_publication.call(pub_id, token)
    monkeypatch.undo()
    # A broker delivers the unacknowledged message again, with the same lease token. The
    # part is in flight under a lease that has not run out: the copy cannot tell a dead
    # run from a live one, so it leaves the row alone.
    before = Publication.objects.get()
    assert publish_publication.call(pub_id, token) == "in_flight"
    after = Publication.objects.get()
    assert (after.status, after.lease_expires_at) == ("publishing", before.lease_expires_at)
    # The dead run renews nothing: its lease runs out, and recovery hands the row on.
    Publication.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert recover_expired() == (0, 1)
    assert Publication.objects.get().error_code == "worker_lost"
    claimed = claim_unknown(grace_seconds=0)
    assert [reconcile_publication.call(i, t) for i, t in claimed] == ["published"]
    assert len(network.stats()["posts"]) == 1 and network.stats()["duplicates"] == []


def test_a_second_copy_of_a_task_changes_nothing_while_the_first_is_sending(
    membership, make_post, network, monkeypatch
):
    second: list[str] = []
    leases: list[tuple[object, object]] = []

    def race(publish, *args):
        # The copy arrives while the first run's request is on its way.
        held_until = timezone.now() + timedelta(seconds=30)
        Publication.objects.update(lease_expires_at=held_until)
        second.append(publish_publication.call(pub_id, token))
        row = Publication.objects.get()
        leases.append((held_until, row.lease_expires_at))
        assert (row.status, row.lease_token) == ("publishing", token)
        return publish(*args)

    do_schedule_post(membership, make_post(), None)
    [(pub_id, token)] = claim_due()
    connector_that(monkeypatch, race)
    first = publish_publication.call(pub_id, token)
    # The copy neither handed the row to reconciliation (which, finding nothing yet, would
    # send it again while the first call is still running) nor took the lease over.
    assert (second, first) == (["in_flight"], "published")
    [(held_until, lease_after_copy)] = leases
    assert lease_after_copy == held_until, "the copy did not extend the lease"
    pub = Publication.objects.get()
    assert pub.status == "published" and pub.external_id == network.stats()["posts"][0]["id"]
    assert len(network.stats()["posts"]) == 1 and network.stats()["duplicates"] == []


def test_one_accounts_rate_limit_does_not_hold_back_another_account(
    membership, make_post, network, workspace_a
):
    from townsquare.content.actions import PostInput, do_save_post
    from townsquare.networks.credentials import store_credentials
    from townsquare.networks.models import SocialAccount

    other = SocialAccount.objects.create(workspace=workspace_a, network="testnet", handle="beta")
    store_credentials(other, {"access_token": "token-beta", "instance_url": network.url})
    network.set_faults(rate_limit={"every_n": 1, "reset_after_s": 30})
    do_schedule_post(membership, make_post("Erster"), None)
    assert run_due() == ["retry"]
    network.set_faults()
    do_schedule_post(
        membership, do_save_post(membership, PostInput(text="Zweiter"), [other.pk]), None
    )
    assert run_due() == ["published"], "the other account is not blocked by the first one's reset"


def test_an_unknown_outcome_the_network_settles_at_once_tells_nobody(
    membership, make_post, network
):
    network.set_faults(accept_then_timeout_rate=1.0, accept_then_timeout_s=3)
    do_schedule_post(membership, make_post(), None)
    assert run_due() == ["unknown"]
    network.set_faults()
    claimed = claim_unknown(grace_seconds=0)
    assert [reconcile_publication.call(i, t) for i, t in claimed] == ["published"]
    assert not Notification.objects.filter(kind="publication_unknown").exists()


def test_when_the_network_cannot_tell_a_person_is_asked_once(
    membership, make_post, network, monkeypatch, alice
):
    from townsquare.networks.base import OutcomeUnknown
    from townsquare.networks.registry import get_publisher
    from townsquare.publishing import tasks

    network.set_faults(accept_then_timeout_rate=1.0, accept_then_timeout_s=3)
    do_schedule_post(membership, make_post(), None)
    assert run_due() == ["unknown"]
    network.set_faults()

    def cannot_tell(*args, **kwargs):
        raise OutcomeUnknown("the lookup timed out")

    monkeypatch.setattr(get_publisher("testnet"), "find_published", cannot_tell)
    outcomes = []
    for _ in range(tasks.LOOKUPS_BEFORE_ASKING_A_PERSON + 2):
        Publication.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
        claimed = claim_unknown(grace_seconds=0)
        outcomes += [reconcile_publication.call(i, t) for i, t in claimed]
    tries = tasks.LOOKUPS_BEFORE_ASKING_A_PERSON
    assert outcomes == ["lookup_failed"] * (tries - 1) + ["needs_person"]
    pub = Publication.objects.get()
    assert pub.status == "unknown" and pub.needs_person
    told = Notification.objects.filter(kind="publication_unknown", recipient=alice)
    assert told.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_send_longer_than_the_lease_keeps_its_row(
    membership, make_post, network, monkeypatch, settings
):
    # A large video can take longer to upload than a lease lasts; the row must not be
    # handed to reconciliation while the upload is still going.
    from townsquare.networks.registry import get_publisher

    settings.PUBLISH_LEASE_SECONDS = 3  # renewed every second: room for a slow machine
    publisher = get_publisher("testnet")
    original = publisher.publish
    recovered = []

    def slow_publish(*args, **kwargs):
        first_lease = Publication.objects.get().lease_expires_at
        wait_until(lambda: timezone.now() > first_lease, what="the first lease to run out")
        recovered.append(recover_expired())
        return original(*args, **kwargs)

    monkeypatch.setattr(publisher, "publish", slow_publish)
    do_schedule_post(membership, make_post("Ein großes Video, langsam hochgeladen."), None)
    assert run_due() == ["published"]
    assert recovered == [(0, 0)]
    assert len(network.stats()["posts"]) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_dies_mid_send_still_loses_its_lease(
    membership, make_post, network, settings
):
    from townsquare.publishing.lease_keeper import LeaseKeeper

    settings.PUBLISH_LEASE_SECONDS = 0.6
    do_schedule_post(membership, make_post(), None)
    [(pub_id, token)] = claim_due()
    # Renewal stops when the call ends (or the process dies): the lease then runs out.
    with LeaseKeeper(pub_id, token) as keeper:
        wait_until(lambda: keeper.renewals >= 2, what="two renewals")
    # Nothing renews it now: recovery takes the row as soon as the lease has run out.
    assert wait_until(lambda: recover_expired() == (1, 0), what="the lease to run out")


def test_a_connector_that_fails_the_same_way_every_time_is_given_up_on(
    membership, make_post, network, monkeypatch, alice
):
    # An unexpected error while sending counts as "may have gone out"; the network then
    # says it has nothing, so it is sent again -- but not for ever.
    from townsquare.networks.registry import get_publisher
    from townsquare.publishing.schedule import MAX_ATTEMPTS

    def broken(*args, **kwargs):
        raise ValueError("Invalid IPv6 URL")

    monkeypatch.setattr(get_publisher("testnet"), "publish", broken)
    do_schedule_post(membership, make_post(), None)
    outcomes = []
    for _ in range(MAX_ATTEMPTS * 2):
        outcomes += run_due()
        outcomes += [reconcile_publication.call(i, t) for i, t in claim_unknown(grace_seconds=0)]
        if "gave_up" in outcomes:
            break
    assert outcomes.count("unknown") == MAX_ATTEMPTS and outcomes[-1] == "gave_up"
    pub = Publication.objects.get()
    assert pub.status == "failed" and pub.error_code == "gave_up"
    assert "Invalid IPv6 URL" in pub.error_message
    assert Notification.objects.filter(kind="publication_failed", recipient=alice).count() == 1
    assert len(network.stats()["posts"]) == 0
