"""Never twice, also in the corners: exits that send nothing never overwrite a part in flight,
the lease keeper outlives a database hiccup, and a thread pays the rate limit per part."""

import threading
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from townsquare.publishing import lease_keeper, tasks
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import LatePolicy
from townsquare.publishing.tasks import publish_publication
from townsquare.ratelimits.defaults import ACCOUNT
from townsquare.ratelimits.window import Rate

pytestmark = pytest.mark.django_db(transaction=True)


def run_due():
    return [publish_publication.call(pub_id, token) for pub_id, token in claim_due()]


# --- exits that send nothing ---------------------------------------------------------------
def another_run_starts_sending(pub_id):
    """What the first run of a claim does while its copy is still checking: its part leaves."""
    Publication.objects.filter(pk=pub_id).update(sending_started_at=timezone.now())


@pytest.mark.parametrize("exit_by", ["held", "invalid", "rate_limited"])
def test_an_exit_that_sends_nothing_never_overwrites_a_part_in_flight(
    membership, make_post, network, monkeypatch, exit_by
):
    do_schedule_post(membership, make_post(), None)
    [(pub_id, token)] = claim_due()

    if exit_by == "held":
        Publication.objects.update(due_at=timezone.now() - timedelta(hours=2))

        def policy(workspace):
            another_run_starts_sending(pub_id)
            return LatePolicy(hold=True, after_minutes=30)

        monkeypatch.setattr(tasks, "late_policy", policy)
    elif exit_by == "invalid":

        def errors(pub, variant):
            another_run_starts_sending(pub_id)
            return ["The text is too long."]

        monkeypatch.setattr(tasks, "validation_errors", errors)
    else:

        def wait(pub):
            another_run_starts_sending(pub_id)
            return 30.0

        monkeypatch.setattr(tasks, "rate_limit_wait", wait)
    assert publish_publication.call(pub_id, token) == exit_by
    pub = Publication.objects.get()
    # The row still belongs to the run that is sending: its outcome is written by that run
    # (or, if it died, found by reconciliation once the lease runs out).
    assert (pub.status, pub.lease_token) == ("publishing", token)
    assert pub.sending_started_at is not None and pub.error_code == ""


# --- the lease keeper -------------------------------------------------------------------------
def test_the_lease_keeper_keeps_renewing_after_a_database_error(
    membership, make_post, monkeypatch, settings
):
    settings.PUBLISH_LEASE_SECONDS = 0.6  # a renewal every 0.2 s
    do_schedule_post(membership, make_post(), None)
    [(pub_id, token)] = claim_due()
    real = Publication.objects
    renewed_after_the_error = threading.Event()
    calls = []

    class Flaky:
        """The first renewal meets a database that is gone for a moment."""

        def filter(self, **lookups):
            calls.append(lookups)
            if len(calls) == 1:
                raise OperationalError("server closed the connection unexpectedly")
            renewed_after_the_error.set()
            return real.filter(**lookups)

    class Model:
        objects = Flaky()

    monkeypatch.setattr(lease_keeper, "Publication", Model)
    with lease_keeper.LeaseKeeper(pub_id, token) as keeper:
        assert renewed_after_the_error.wait(timeout=30), "renewing stopped at the first error"
    assert keeper.renewals >= 1


# --- rate limits ------------------------------------------------------------------
LONG = " ".join(f"Satz Nummer {n} über unseren Kaffee aus Leipzig." for n in range(1, 30))


def test_each_part_of_a_thread_takes_a_unit_of_the_rate_limit(
    membership, make_post, network, settings
):
    settings.RATE_LIMIT_RATES = {"testnet": [(ACCOUNT, Rate(2, 3600))]}
    post = make_post(LONG)
    assert len(post.variants.get().parts) >= 3
    do_schedule_post(membership, post, None)
    assert run_due() == ["rate_limited"]
    # Two parts went out, as a reply chain; the rest waits for the window.
    assert len(network.stats()["posts"]) == 2
    pub = Publication.objects.get()
    assert pub.status == "scheduled" and len(pub.part_ids) == 2
    assert pub.run_at > timezone.now() + timedelta(minutes=30)
    assert pub.sending_started_at is None and pub.lease_token is None
