"""No post is ever stuck: every error in a publish or reconcile task ends in a state a person
sees -- `failed` with a reason, or an unknown outcome waiting for a person -- counted as an
attempt, instead of a row that is claimed again every lease for ever."""

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone

from townsquare.lib.crypto import KeyRing
from townsquare.networks import registry
from townsquare.notifications.models import Notification
from townsquare.publishing.actions import do_cancel_schedule, do_schedule_post
from townsquare.publishing.claim import claim_due, claim_unknown, recover_expired
from townsquare.publishing.models import Attempt, Publication
from townsquare.publishing.schedule import MAX_ATTEMPTS
from townsquare.publishing.tasks import publish_publication, reconcile_publication

pytestmark = pytest.mark.django_db(transaction=True)


def run_due():
    return [publish_publication.call(pub_id, token) for pub_id, token in claim_due()]


def remove_connector(monkeypatch):
    """The test network's connector is gone (an upgrade removed it, a setting turned it
    off) after its rows were claimed."""
    monkeypatch.delitem(registry.PUBLISHERS, "testnet")
    registry.forget_publishers()


def unreadable(account):
    """Credentials written with a key this installation no longer has."""
    other = KeyRing([Fernet.generate_key().decode()])
    account.credentials_encrypted = other.encrypt('{"access_token": "lost"}')
    account.save(update_fields=["credentials_encrypted"])


def missing(account):
    """No credentials stored at all (an account created without connecting it)."""
    account.credentials_encrypted = ""
    account.save(update_fields=["credentials_encrypted"])


def assert_failed_once(code):
    pub = Publication.objects.get()
    assert (pub.status, pub.error_code) == ("failed", code)
    assert pub.attempt_count == 1 and pub.lease_token is None and pub.sending_started_at is None
    [attempt] = Attempt.objects.all()
    assert attempt.finished_at is not None and attempt.message == pub.error_message
    return pub


def test_a_claimed_post_whose_network_has_no_connector_fails_with_a_reason_it_says(
    membership, make_post, network, monkeypatch, alice
):
    post = make_post()
    do_schedule_post(membership, post, None)
    [(pub_id, token)] = claim_due()
    remove_connector(monkeypatch)
    assert publish_publication.call(pub_id, token) == "failed"
    pub = assert_failed_once("no_connector")
    # In the workspace's language (German here), naming the network, never a raw code.
    assert "Test network" in pub.error_message and "nichts gesendet" in pub.error_message
    assert Notification.objects.filter(kind="publication_failed", recipient=alice).count() == 1
    # Nothing comes back round: no lease to run out, nothing due, and a person can act.
    Publication.objects.update(lease_expires_at=timezone.now() - timedelta(minutes=5))
    assert recover_expired() == (0, 0) and claim_due() == []
    assert do_cancel_schedule(membership, post) == 1
    assert network.stats()["posts"] == []


@pytest.mark.parametrize(
    ("spoil", "code"),
    [(unreadable, "credentials_unreadable"), (missing, "credentials_missing")],
    ids=["unreadable", "missing"],
)
def test_a_login_that_cannot_be_read_fails_the_post_and_asks_for_a_reconnect(
    membership, make_post, network, testnet_account, spoil, code
):
    do_schedule_post(membership, make_post(), None)
    spoil(testnet_account)
    assert run_due() == ["failed"]
    pub = assert_failed_once(code)
    assert "Einstellungen > Konten" in pub.error_message
    testnet_account.refresh_from_db()
    assert testnet_account.needs_reconnect
    assert run_due() == [] and network.stats()["posts"] == []


def test_an_error_while_preparing_is_tried_again_and_then_given_up_never_unknown(
    membership, make_post, network, monkeypatch, alice
):
    from townsquare.publishing import tasks

    def broken(pub):
        raise RuntimeError("media row vanished")

    monkeypatch.setattr(tasks, "variant_to_publish", broken)
    do_schedule_post(membership, make_post(), None)
    outcomes = []
    for _ in range(MAX_ATTEMPTS + 2):
        Publication.objects.filter(status="scheduled").update(run_at=timezone.now())
        outcomes += run_due()
    # Nothing was sent, so the outcome is never "unknown": each try is counted, and the
    # post fails once the usual budget is spent.
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    pub = Publication.objects.get()
    assert (pub.status, pub.error_code, pub.attempt_count) == ("failed", "gave_up", MAX_ATTEMPTS)
    assert "media row vanished" in pub.error_message
    assert Attempt.objects.filter(outcome="retry").count() == MAX_ATTEMPTS
    assert Notification.objects.filter(kind="publication_failed", recipient=alice).count() == 1
    assert network.stats()["posts"] == []


def make_unknown(membership, make_post, network):
    network.set_faults(accept_then_timeout_rate=1.0, accept_then_timeout_s=3)
    do_schedule_post(membership, make_post(), None)
    assert run_due() == ["unknown"]
    network.set_faults()


def test_a_reconciliation_without_a_connector_asks_a_person_once_instead_of_looping(
    membership, make_post, network, monkeypatch, alice
):
    make_unknown(membership, make_post, network)
    remove_connector(monkeypatch)
    outcomes = []
    for _ in range(3):
        Publication.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
        outcomes += [reconcile_publication.call(i, t) for i, t in claim_unknown(grace_seconds=0)]
    assert outcomes == ["needs_person"]
    pub = Publication.objects.get()
    assert pub.status == "unknown" and pub.needs_person and pub.lease_token is None
    assert "Test network" in pub.error_message
    assert Notification.objects.filter(kind="publication_unknown", recipient=alice).count() == 1


def test_a_reconciliation_whose_login_cannot_be_read_asks_a_person_and_flags_the_account(
    membership, make_post, network, testnet_account, alice
):
    make_unknown(membership, make_post, network)
    unreadable(testnet_account)
    claimed = claim_unknown(grace_seconds=0)
    assert [reconcile_publication.call(i, t) for i, t in claimed] == ["needs_person"]
    assert claim_unknown(grace_seconds=0) == []
    pub = Publication.objects.get()
    assert pub.needs_person and "gespeicherte Anmeldung" in pub.error_message
    testnet_account.refresh_from_db()
    assert testnet_account.needs_reconnect
    assert Notification.objects.filter(kind="publication_unknown", recipient=alice).count() == 1
