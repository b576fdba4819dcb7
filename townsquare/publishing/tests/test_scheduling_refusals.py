"""Scheduling refuses what cannot go out: a time already past (whatever the caller: the
post page, the API, the demo), and a variant that breaks its network's rules as checked now,
not as a verdict stored at some earlier edit."""

from datetime import datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from townsquare.content.models import Variant
from townsquare.lib.errors import ActionError
from townsquare.publishing.actions import do_schedule_post
from townsquare.publishing.claim import claim_due
from townsquare.publishing.models import Publication
from townsquare.publishing.schedule import MAX_ATTEMPTS, utc_to_local
from townsquare.publishing.tasks import publish_publication

pytestmark = pytest.mark.django_db


def local_now(zone="Europe/Berlin"):
    return utc_to_local(timezone.now(), zone)


def test_a_time_in_the_past_is_refused_naming_the_time_and_the_zone(membership, make_post):
    post = make_post()
    with pytest.raises(ActionError) as refused, translation.override("de"):
        do_schedule_post(membership, post, datetime(2020, 1, 1, 9, 0), "Europe/Berlin")
    assert (refused.value.code, refused.value.status) == ("time_in_past", 422)
    assert "2020-01-01 09:00" in refused.value.message
    assert "Europe/Berlin" in refused.value.message
    assert "bereits vorbei" in refused.value.message
    assert not Publication.objects.exists()


def test_a_time_a_few_seconds_ago_goes_out_at_once_and_now_is_always_allowed(membership, make_post):
    post = make_post()
    [pub] = do_schedule_post(membership, post, local_now() - timedelta(seconds=20))
    assert pub.status == "scheduled" and pub.due_at <= timezone.now()
    assert pub.due_at.second == 0, "planned to the minute"
    [pub] = do_schedule_post(membership, post, None)
    assert pub.status == "scheduled"


def test_the_post_page_refuses_a_time_in_the_past(alice_client, workspace_a, make_post):
    post = make_post()
    url = reverse("publishing_schedule", kwargs={"workspace": workspace_a.slug, "post_id": post.pk})
    response = alice_client.post(url, {"action": "schedule", "when": "2020-01-01T09:00"})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and "2020-01-01 09:00" in shown[0]
    assert not Publication.objects.exists(), "nothing goes out at once"


def test_a_hand_edited_variant_over_the_limit_is_refused_whatever_was_stored(membership, make_post):
    post = make_post()
    # Too long for the network, with a stored verdict that predates it.
    Variant.objects.filter(post=post).update(text="x" * 649, parts=["x" * 649], problems=[])
    with pytest.raises(ActionError) as refused:
        do_schedule_post(membership, post, None)
    assert refused.value.code == "variants_invalid"
    assert "649" in refused.value.message and "500" in refused.value.message
    assert not Publication.objects.exists()


def test_a_variant_whose_stored_problem_is_gone_can_be_scheduled(membership, make_post):
    post = make_post()
    stale = [{"code": "text_too_long", "severity": "error", "message_en": "Too long."}]
    Variant.objects.filter(post=post).update(problems=stale)
    [pub] = do_schedule_post(membership, post, None)
    assert pub.status == "scheduled"


def test_rescheduling_a_failed_post_starts_a_fresh_budget_of_attempts(
    membership, make_post, network
):
    post = make_post()
    do_schedule_post(membership, post, None)
    Publication.objects.update(status="failed", error_code="gave_up", attempt_count=MAX_ATTEMPTS)
    do_schedule_post(membership, post, None)
    assert Publication.objects.get().attempt_count == 0
    network.set_faults(rate_limit={"every_n": 1, "reset_after_s": 1})
    [(pub_id, token)] = claim_due()
    result = publish_publication.call(pub_id, token)
    assert result == "retry", "one 'later' after a reschedule is not the last straw"
    assert Publication.objects.get().status == "scheduled"
