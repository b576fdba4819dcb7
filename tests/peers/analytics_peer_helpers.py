"""What the analytics peer tests share: publishing a post through the engine, and collecting
an account's counters the way the scheduler does (its claim, then its task)."""

from __future__ import annotations

import time

from django.utils import timezone

from townsquare.analytics.collection_jobs import claim_due, collect_metrics
from townsquare.analytics.models import CollectionState, TrackedPost
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due as claim_due_publications
from townsquare.publishing.models import Publication
from townsquare.publishing.tasks import publish_publication


def publish_now(membership, text, account) -> Publication:
    from townsquare.content.actions import PostInput, do_save_post

    post = do_save_post(membership, PostInput(text=text, language="de"), [account.pk])
    do_schedule_post(membership, post, None)
    outcomes = [publish_publication.call(p, token) for p, token in claim_due_publications()]
    assert outcomes == ["published"], Publication.objects.get(post=post).error_message
    return Publication.objects.get(post=post)


def collect_once(account) -> str:
    """One collection of `account` through the scheduler's claim and its task, due now."""
    now = timezone.now()
    CollectionState.objects.update_or_create(account=account, defaults={"next_due_at": now})
    TrackedPost.objects.filter(account=account).update(next_snapshot_at=now)
    state = CollectionState.objects.get(account=account)
    claims = dict(claim_due())
    assert state.pk in claims, "the due account was claimed"
    return collect_metrics.call(state.pk, claims[state.pk].isoformat())


def collect_until(account, pub, expected: dict[str, int], timeout: float = 60.0) -> TrackedPost:
    """Collect until the tracked post of `pub` shows the `expected` counters (a network
    may count a reaction a moment after it was made), each time as the scheduler would."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = collect_once(account)
        assert outcome.startswith("stored"), outcome
        tracked = TrackedPost.objects.get(publication=pub)
        seen = {name: getattr(tracked, name) for name in expected}
        if seen == expected:
            return tracked
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {expected}; the post shows {seen}")
        time.sleep(1.0)
